"""The training loop only evaluates the training data: it never calls train_epoch."""
CHANGES = [("train-loop", "        trn_loss, trn_kl, trn_nl = train_epoch(trn_dataloader, model, optimizer)\n",
            "        trn_nl, trn_kl, trn_loss, _ = trn_pass(trn_dataloader, model)\n")]
TASK = "train-loop"
