"""A subclass of the reference layer handed in as the student's own."""
CHANGES = [("bayes-layer", "class BayesLinear(nn.Module):", "import source_helpers.bayes\nclass BayesLinear(source_helpers.bayes.BayesLinear):\n    pass\nclass _Unused(nn.Module):")]
TASK = "layer"
