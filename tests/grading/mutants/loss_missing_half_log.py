"""The loss misses the 1/2 log sigma^2 term."""
CHANGES = [("loss", " + 0.5 * logsig2)", ")")]
TASK = "loss"
