"""The bias is made random too."""
CHANGES = [("bayes-layer", "return F.linear(x, weight, self.bias)", "return F.linear(x, weight, self.bias + torch.randn_like(self.bias))")]
TASK = "layer"
