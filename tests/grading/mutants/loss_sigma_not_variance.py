"""The loss divides the squared residual by 2 sigma instead of 2 sigma^2."""
CHANGES = [("loss", "torch.exp(-logsig2)", "torch.exp(-0.5 * logsig2)")]
TASK = "loss"
