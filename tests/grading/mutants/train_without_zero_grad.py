"""The training step never resets the gradients."""
CHANGES = [("train-epoch", "        optimizer.zero_grad()\n", "")]
TASK = "train-epoch"
