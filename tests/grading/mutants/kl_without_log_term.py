"""KL without the -log sigma^2 term."""
CHANGES = [("bayes-layer", "- self.logsig2_w - 1.0).sum()", "- 1.0).sum()")]
TASK = "layer"
