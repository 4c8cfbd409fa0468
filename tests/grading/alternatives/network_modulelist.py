"""Network as a ModuleList with an explicit loop and KL collected over modules()."""
NETWORK = '''
class amp_net(nn.Module):
    def __init__(self, ipt_dim, hdn_dim, opt_dim, training_size):
        super().__init__()
        self.training_size = training_size
        dims = [ipt_dim, hdn_dim, hdn_dim, hdn_dim, opt_dim]
        self.bayes = nn.ModuleList([BayesLinear(a, b) for a, b in zip(dims[:-1], dims[1:])])
        self.act = nn.SiLU()

    def forward(self, x):
        for i, layer in enumerate(self.bayes):
            x = layer(x)
            if i < len(self.bayes) - 1:
                x = self.act(x)
        return x

    def KL(self):
        total = 0.0
        for m in self.modules():
            if isinstance(m, BayesLinear):
                total = total + m.KL()
        return total / self.training_size
'''
