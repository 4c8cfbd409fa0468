"""Layer with torch.distributions: Normal.rsample-style noise and KL via kl_divergence."""
LAYER = '''
from torch.distributions import Normal, kl_divergence

class BayesLinear(nn.Module):
    def __init__(self, in_features, out_features):
        super().__init__()
        self.resample = True
        self.mu_w = nn.Parameter(torch.zeros(out_features, in_features))
        self.logsig2_w = nn.Parameter(torch.zeros(out_features, in_features))
        self.bias = nn.Parameter(torch.zeros(out_features))
        self.register_buffer("eps", torch.zeros(out_features, in_features))
        self.reset_parameters()

    def reset_parameters(self):
        with torch.no_grad():
            self.mu_w.normal_(0, self.mu_w.shape[1] ** -0.5)
            self.logsig2_w.fill_(-9.0)
            self.bias.zero_()

    def forward(self, x):
        if self.resample:
            self.eps = Normal(torch.zeros_like(self.mu_w), torch.ones_like(self.mu_w)).sample()
        w = self.mu_w + self.eps * (0.5 * self.logsig2_w).exp()
        return F.linear(x, w, self.bias)

    def KL(self):
        q = Normal(self.mu_w, (0.5 * self.logsig2_w).exp())
        p = Normal(torch.zeros_like(self.mu_w), torch.ones_like(self.mu_w))
        return kl_divergence(q, p).sum()
'''
