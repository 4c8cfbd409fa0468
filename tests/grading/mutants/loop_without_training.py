"""The training loop only evaluates: it never calls train_epoch."""
CHANGES = [("train-loop", "        train_epoch(trn_dataloader, model, optimizer)\n", "")]
TASK = "train-loop"
