"""What one gradient costs: the book's single cost model, counted in multiply-adds.

Every chapter that says what backprop costs quotes :func:`multiply_adds`. Per example
and per layer ``ell = 1..L`` of a network with layer sizes ``n_0, ..., n_L`` it counts
the products of the weighted sums, one multiply-add per weight in each:

* **forward**: ``z^ell = W^ell a^(ell-1) + b^ell``, ``n_ell * n_(ell-1)``;
* **BP2**: ``(W^ell)^T delta^ell``, the error passed back *into* layer ``ell - 1``,
  ``n_ell * n_(ell-1)``. It is skipped for ``ell = 1``: its result would be the error of
  the inputs, which nothing needs;
* **BP4**: the outer product ``delta^ell (a^(ell-1))^T``, ``n_ell * n_(ell-1)``.

Everything else (activations, their slopes, the elementwise products of BP1 and BP2,
the biases of BP3) costs a few operations per *unit*, not per weight, and is left out.
So the backward sweep (BP2 + BP4) costs twice the forward pass, less the BP2 of layer
1: about twice the forward pass for a deep network, about three forward passes for the
whole gradient, and less when the first layer holds most of the weights.

Central finite differences, for comparison, evaluate the cost twice per parameter:
``2 * n_params`` forward passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ._checks import check_sizes

__all__ = ["CostModel", "LayerCost", "multiply_adds"]


@dataclass(frozen=True)
class LayerCost:
    """Multiply-adds per example for the weights ``W^ell`` of one layer."""

    ell: int
    forward: int
    bp2: int
    bp4: int

    @property
    def backward(self) -> int:
        """BP2 + BP4 for this layer."""
        return self.bp2 + self.bp4


@dataclass(frozen=True)
class CostModel:
    """Multiply-adds per example of one forward pass and one backward sweep.

    ``layers[i]`` is the :class:`LayerCost` of layer ``ell = i + 1``.
    """

    sizes: tuple[int, ...]
    layers: tuple[LayerCost, ...]

    @property
    def forward(self) -> int:
        """The forward pass: one multiply-add per weight."""
        return sum(layer.forward for layer in self.layers)

    @property
    def bp2(self) -> int:
        return sum(layer.bp2 for layer in self.layers)

    @property
    def bp4(self) -> int:
        return sum(layer.bp4 for layer in self.layers)

    @property
    def backward(self) -> int:
        """The backward sweep: BP2 (for ell = L..2) and BP4 (for every layer)."""
        return self.bp2 + self.bp4

    @property
    def total(self) -> int:
        """Forward pass and backward sweep: the whole gradient of one example."""
        return self.forward + self.backward

    @property
    def n_weights(self) -> int:
        return self.forward

    @property
    def n_params(self) -> int:
        """Weights and biases, ``W`` in the book's cost comparisons."""
        return sum(
            n * (n_prev + 1) for n_prev, n in zip(self.sizes[:-1], self.sizes[1:])
        )

    @property
    def backward_over_forward(self) -> float:
        """The backward sweep in forward passes: 2 less the share of layer 1."""
        return self.backward / self.forward

    @property
    def total_over_forward(self) -> float:
        """The whole gradient in forward passes: 3 less the share of layer 1."""
        return self.total / self.forward

    @property
    def first_layer_share(self) -> float:
        """The fraction of the weights in ``W^1`` (the BP2 product the sweep skips)."""
        return self.layers[0].forward / self.forward

    @property
    def finite_differences(self) -> int:
        """Central differences: two forward passes per parameter."""
        return 2 * self.n_params * self.forward

    def table(self) -> str:
        """The per-layer counts as aligned text."""
        rows = [f"{'layer':>5} {'forward':>9} {'BP2':>9} {'BP4':>9}"]
        for layer in self.layers:
            rows.append(
                f"{layer.ell:>5} {layer.forward:>9,} {layer.bp2:>9,} {layer.bp4:>9,}"
            )
        rows.append(f"{'all':>5} {self.forward:>9,} {self.bp2:>9,} {self.bp4:>9,}")
        return "\n".join(rows)


def multiply_adds(sizes: Sequence[int]) -> CostModel:
    """Count the multiply-adds of one example's gradient, layer by layer.

    Parameters
    ----------
    sizes : sequence of int
        Units per layer, input first, e.g. ``[64, 30, 10]``; at least two layers,
        each a positive integer.

    Returns
    -------
    CostModel
        ``.forward``, ``.backward`` (BP2 + BP4), ``.total``, and ``.layers`` with the
        counts of each layer.

    Examples
    --------
    >>> c = multiply_adds([2, 3, 2])
    >>> (c.forward, c.bp2, c.bp4, c.backward, c.total)
    (12, 6, 12, 18, 30)
    """
    sizes = check_sizes(sizes)
    layers = []
    for ell in range(1, len(sizes)):
        weights = sizes[ell] * sizes[ell - 1]
        layers.append(
            LayerCost(
                ell=ell, forward=weights, bp2=0 if ell == 1 else weights, bp4=weights
            )
        )
    return CostModel(sizes=sizes, layers=tuple(layers))
