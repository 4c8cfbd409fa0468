"""Weights sampled without the reparameterisation trick: no gradient reaches sigma."""
CHANGES = [("bayes-layer", "torch.exp(0.5 * self.logsig2_w) * self.random", "torch.exp(0.5 * self.logsig2_w.detach()) * self.random")]
TASK = "layer"
