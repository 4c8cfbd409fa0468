"""log sigma^2 treated as sigma: w = mu + logsig2 * r."""
CHANGES = [("bayes-layer", "torch.exp(0.5 * self.logsig2_w) * self.random", "self.logsig2_w * self.random")]
TASK = "layer"
