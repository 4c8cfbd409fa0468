"""The resample flag is ignored: new noise on every pass."""
CHANGES = [("bayes-layer", "        if self.resample:\n            self.random = torch.randn_like(self.logsig2_w)\n",
            "        self.random = torch.randn_like(self.logsig2_w)\n")]
TASK = "layer"
