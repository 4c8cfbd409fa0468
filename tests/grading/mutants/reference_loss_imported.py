"""The reference loss imported instead of written."""
CHANGES = [("loss", "def neg_log_gauss(outputs, targets):", "from source_helpers.bayes import neg_log_gauss as _ref_loss\nneg_log_gauss = _ref_loss\ndef _unused(outputs, targets):")]
TASK = "loss"
