"""The reference layer from source_helpers handed in instead of the student's own (an alias)."""
CHANGES = [("bayes-layer", "class BayesLinear(nn.Module):", "from source_helpers.bayes import BayesLinear as _Ref\nBayesLinear = _Ref\nclass _Unused(nn.Module):")]
TASK = "layer"
