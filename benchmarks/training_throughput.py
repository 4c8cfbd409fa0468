"""Time to quality: the seed tutorial's training recipe against ours, side by side.

Trains on the same data (the tutorial dataset, generated if missing), one after the other:
  (a) the seed's recipe: 20->50->50->50->2 Bayesian MLP, Adam lr 5e-4 (constant), batch 128 from
      a per-item DataLoader, 500 epochs, train and validation passes at batch 64 every epoch;
  (b) the solution notebook's recipe (same preprocessing, `NOTEBOOK_RECIPE` below);
and prints wall time, test MSE(log A), median |Delta|, pull width and 68 % coverage for both.

    python benchmarks/training_throughput.py [--seed-epochs 500] [--device cpu|cuda]
"""

from __future__ import annotations

import argparse
import dataclasses

import torch

from source_helpers.bayes import predict
from source_helpers.data import ensure_dataset, find_data_dir, load_split
from source_helpers.metrics import headline
from source_helpers.training import SEED_RECIPE, Recipe, preprocess, train

#: Must match the solution notebook's settings (hdn_dim, BATCH_SIZE, LEARNING_RATE, N_EPOCHS).
NOTEBOOK_RECIPE = Recipe("ours", hidden=64, n_hidden=2, epochs=300, batch_size=512, lr=3e-3, schedule="onecycle",
                         activation="silu")


#: Column titles of `metrics_row`.
METRICS_HEADER = f"{'MSE(logA)':>10s} {'med |D|':>8s} {'pull w':>7s} {'cov68':>6s} {'cov95':>6s}"


def measure(recipe: Recipe, data, log_every: int = 0) -> tuple[float, dict[str, float]]:
    """Train ``recipe`` on preprocessed ``data`` and predict the test split with 100 sampled
    networks; returns (training wall time in s, `source_helpers.metrics.headline` figures)."""
    model, _, seconds = train(recipe, data, log_every=log_every)
    pred = predict(model, data["tst"].x, n_samples=100)
    return seconds, headline(pred.mean, pred.sigma_model, pred.sigma_stoch, data["tst"].y.cpu().numpy())


def metrics_row(h: dict[str, float]) -> str:
    """The figures of merit of one trained recipe, in the columns of `METRICS_HEADER`."""
    return (f"{h['test_mse_logA']:10.4f} {h['median_abs_delta']:8.2%} {h['pull_width']:7.3f} "
            f"{h['coverage_68']:6.1%} {h['coverage_95']:6.1%}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed-epochs", type=int, default=SEED_RECIPE.epochs)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--only", choices=["seed", "ours"], help="train one recipe only")
    args = parser.parse_args()
    path = ensure_dataset(find_data_dir(), progress=False)
    data = preprocess({s: load_split(path, s) for s in ("trn", "val", "tst")}, device=args.device)
    recipes = [dataclasses.replace(SEED_RECIPE, epochs=args.seed_epochs), NOTEBOOK_RECIPE]
    if args.only:
        recipes = [r for r in recipes if r.name == args.only]
    rows = []
    for recipe in recipes:
        print(f"training {recipe} on {args.device} ...", flush=True)
        rows.append((recipe.name, *measure(recipe, data, log_every=max(1, recipe.epochs // 5))))
    print(f"\n{'recipe':8s} {'wall [s]':>9s} {METRICS_HEADER}")
    for name, seconds, h in rows:
        print(f"{name:8s} {seconds:9.1f} {metrics_row(h)}")
    if len(rows) == 2:
        print(f"\nspeed-up of ours over the seed's recipe: {rows[0][1] / rows[1][1]:.1f}x in wall time")


if __name__ == "__main__":
    main()
