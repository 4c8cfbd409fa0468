"""The loss is summed over the batch instead of averaged."""
CHANGES = [("loss", "return torch.mean(", "return torch.sum(")]
TASK = "loss"
