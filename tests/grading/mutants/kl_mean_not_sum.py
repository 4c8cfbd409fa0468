"""KL averaged over the weights instead of summed."""
CHANGES = [("bayes-layer", "- self.logsig2_w - 1.0).sum()", "- self.logsig2_w - 1.0).mean()")]
TASK = "layer"
