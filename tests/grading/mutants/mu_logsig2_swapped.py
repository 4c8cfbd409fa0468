"""The two network outputs are swapped: mu read from column 1, log sigma^2 from column 0."""
CHANGES = [("loss", "mu = outputs[:, 0]\n    logsig2 = outputs[:, 1]", "mu = outputs[:, 1]\n    logsig2 = outputs[:, 0]")]
TASK = "loss"
