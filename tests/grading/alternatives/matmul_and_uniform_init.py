"""Layer with x @ w.T + b, a kaiming-uniform-like initialisation and the noise as a plain attribute."""
LAYER = '''
class BayesLinear(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.mu_w = nn.Parameter(torch.empty(n_out, n_in))
        self.logsig2_w = nn.Parameter(torch.empty(n_out, n_in))
        self.bias = nn.Parameter(torch.empty(n_out))
        self.resample = True
        self.register_buffer("noise", torch.randn(n_out, n_in))
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.mu_w.shape[1])
        nn.init.uniform_(self.mu_w, -bound, bound)
        nn.init.constant_(self.logsig2_w, -8.0)
        nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        if self.resample:
            self.noise = torch.randn(self.mu_w.shape, device=self.mu_w.device, dtype=self.mu_w.dtype)
        sigma = torch.sqrt(torch.exp(self.logsig2_w))
        w = self.mu_w + sigma * self.noise
        return x @ w.T + self.bias

    def KL(self):
        var = torch.exp(self.logsig2_w)
        return torch.sum(self.mu_w ** 2 + var - self.logsig2_w - 1) / 2
'''
