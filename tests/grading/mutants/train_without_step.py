"""The training step computes gradients but never updates the weights."""
CHANGES = [("train-epoch", "        optimizer.step()\n", "")]
TASK = "train-epoch"
