"""Look up models by name: ``get_model("lmu-ltau", neutrinos="dirac")``.

Names, what they build, and the defaults:

- ``"lmu-ltau"``: :class:`LmuLtauZPrime`, left-handed neutrinos, no dark matter.
- ``"lmu-ltau-dm"``: :class:`LmuLtauZPrime` with dark matter, by default
  ``DarkMatter(kind="complex-scalar", mass_ratio=3, alpha_d=0.5)``.
- ``"scalar"``, ``"pseudoscalar"``: :class:`MuonPhilicScalar` of that parity, no dark coupling.
- ``"dark-photon"``: :class:`DarkPhoton`, no dark matter, leptonic and hadronic widths.
- ``"dark-photon-dm"``: :class:`DarkPhoton` decaying to dark matter (A' -> chi chi), coupling
  eps (muon coupling e eps); the same dark-matter defaults and options as ``"lmu-ltau-dm"``.
- ``"b-l"``: :class:`BminusLZPrime`, left-handed neutrinos, leptonic and hadronic widths.
- ``"b-l-dm"``: :class:`BminusLZPrime` also decaying to dark matter (Z' -> chi chi), the same
  dark-matter defaults and options as ``"lmu-ltau-dm"``.
- ``"hnl-mu"``, ``"hnl-e"``: :class:`HeavyNeutralLepton` (coupling |U_l4|^2), Dirac.
- ``"dark-scalar"``: :class:`DarkScalar`, Higgs-mixed scalar (coupling sin^2 theta); widths to
  e e, mu mu, gamma gamma (S -> pi pi missing: incomplete above 2 m_pi).
- ``"millicharge"``: :class:`MilliChargedParticle` (coupling Q/e, mass m_chi), stable chi.
- ``"alp-mu"``: :class:`MuonALP`, derivative muon coupling g_a mu mu [GeV^-1].
- ``"alp-gluon"``: :class:`AlpGluon`, ALP with c_GG only (coupling c_GG/Lambda in 1/GeV),
  decaying invisibly (a -> chi chi; a -> gamma gamma from c_GG not included).
- ``"alp-gluon-visible"``: :class:`AlpGluonVisible`, the same ALP decaying to gamma gamma
  through the photon coupling induced by c_GG (chiral + pi0 mixing; unverified).

Options are the constructor's keyword arguments. For ``"lmu-ltau-dm"`` and
``"dark-photon-dm"`` the dark matter is
either given whole (``dark_matter=DarkMatter(...)``) or through the :class:`DarkMatter`
field names (``kind``, alias ``dm_kind``; ``mass_ratio``, ``alpha_d``, ``delta``,
``m_chi``), which replace the defaults above one by one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from darkreach.errors import InvalidParameterError
from darkreach.models.alp_gluon import AlpGluon
from darkreach.models.alp_gluon_visible import AlpGluonVisible
from darkreach.models.alp_mu import MuonALP
from darkreach.models.b_minus_l import BminusLZPrime
from darkreach.models.base import Model
from darkreach.models.dark_matter import DarkMatter
from darkreach.models.dark_photon import DarkPhoton
from darkreach.models.dark_scalar import DarkScalar
from darkreach.models.hnl import HeavyNeutralLepton
from darkreach.models.lmu_ltau import LmuLtauZPrime
from darkreach.models.millicharge import MilliChargedParticle
from darkreach.models.scalar import MuonPhilicScalar

__all__ = ["MODEL_NAMES", "get_model"]

#: Default dark matter of ``"lmu-ltau-dm"`` and ``"dark-photon-dm"``.
DEFAULT_DARK_MATTER = DarkMatter(kind="complex-scalar", mass_ratio=3.0, alpha_d=0.5)
_DM_FIELDS = frozenset(f.name for f in dataclasses.fields(DarkMatter))


def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


def _build(cls: type[Any], options: dict[str, Any], fixed: dict[str, Any]) -> Model:
    allowed = _field_names(cls) - set(fixed)
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise InvalidParameterError(
            "option", unknown[0], ", ".join(sorted(allowed)) or "no options"
        )
    model: Model = cls(**fixed, **options)
    return model


def _dark_matter_model(cls: type[Any], options: dict[str, Any], defaults: dict[str, Any]) -> Model:
    """Build ``cls`` with dark matter from a DarkMatter or its field options (defaults above).

    ``defaults`` are constructor options the caller may override.
    """
    options = {**defaults, **options}
    if "dm_kind" in options:  # alias of the DarkMatter field ``kind``
        if "kind" in options:
            raise InvalidParameterError("option", "dm_kind", "either kind or dm_kind, not both")
        options["kind"] = options.pop("dm_kind")
    dm_options = {k: options.pop(k) for k in list(options) if k in _DM_FIELDS}
    dark_matter = options.pop("dark_matter", None)
    if dark_matter is not None and dm_options:
        raise InvalidParameterError(
            "option",
            sorted(dm_options)[0],
            "either dark_matter=DarkMatter(...) or DarkMatter field options, not both",
        )
    if dark_matter is None:
        dark_matter = dataclasses.replace(DEFAULT_DARK_MATTER, **dm_options)
    return _build(cls, options, {"dark_matter": dark_matter})


def _lmu_ltau_dm(options: dict[str, Any]) -> Model:
    return _dark_matter_model(LmuLtauZPrime, options, {})


def _b_minus_l_dm(options: dict[str, Any]) -> Model:
    return _dark_matter_model(BminusLZPrime, options, {})


def _dark_photon_dm(options: dict[str, Any]) -> Model:
    return _dark_matter_model(DarkPhoton, options, {})


_FACTORIES: dict[str, Callable[[dict[str, Any]], Model]] = {
    "lmu-ltau": lambda o: _build(LmuLtauZPrime, o, {}),
    "lmu-ltau-dm": _lmu_ltau_dm,
    "scalar": lambda o: _build(MuonPhilicScalar, o, {"parity": "scalar"}),
    "pseudoscalar": lambda o: _build(MuonPhilicScalar, o, {"parity": "pseudoscalar"}),
    "dark-photon": lambda o: _build(DarkPhoton, o, {}),
    "dark-photon-dm": _dark_photon_dm,
    "b-l": lambda o: _build(BminusLZPrime, o, {"dark_matter": None}),
    "b-l-dm": _b_minus_l_dm,
    "hnl-mu": lambda o: _build(HeavyNeutralLepton, o, {"lepton": "mu"}),
    "hnl-e": lambda o: _build(HeavyNeutralLepton, o, {"lepton": "e"}),
    "dark-scalar": lambda o: _build(DarkScalar, o, {}),
    "millicharge": lambda o: _build(MilliChargedParticle, o, {}),
    "alp-mu": lambda o: _build(MuonALP, o, {}),
    "alp-gluon": lambda o: _build(AlpGluon, o, {}),
    "alp-gluon-visible": lambda o: _build(AlpGluonVisible, o, {}),
}

#: Names accepted by :func:`get_model`.
MODEL_NAMES: tuple[str, ...] = tuple(_FACTORIES)


def get_model(name: str, **options: Any) -> Model:
    """Build the model registered as ``name`` with constructor ``options``.

    Unknown names or options raise :class:`~darkreach.errors.InvalidParameterError` listing
    what is allowed. See the module docstring for the names and defaults.
    """
    factory = _FACTORIES.get(name)
    if factory is None:
        raise InvalidParameterError("model", repr(name), ", ".join(MODEL_NAMES))
    return factory(options)
