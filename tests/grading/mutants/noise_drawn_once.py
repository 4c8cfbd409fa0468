"""The noise is drawn once at construction and never resampled."""
CHANGES = [("bayes-layer", "        if self.resample:\n            self.random = torch.randn_like(self.logsig2_w)\n", "")]
TASK = "layer"
