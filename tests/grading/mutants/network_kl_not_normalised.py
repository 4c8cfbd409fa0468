"""The network's KL is not divided by the training-set size."""
CHANGES = [("network", "return kl / self.training_size", "return kl")]
TASK = "network"
