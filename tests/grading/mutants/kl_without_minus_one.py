"""KL without the -1."""
CHANGES = [("bayes-layer", "- self.logsig2_w - 1.0).sum()", "- self.logsig2_w).sum()")]
TASK = "layer"
