"""The weights' spread uses sigma^2 where sigma belongs: w = mu + sigma^2 * r."""
CHANGES = [("bayes-layer", "torch.exp(0.5 * self.logsig2_w) * self.random", "torch.exp(self.logsig2_w) * self.random")]
TASK = "layer"
