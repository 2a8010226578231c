"""Event samples for detector simulation, drawn from the same differential rates as the yields.

Modules (one purpose each):

- :mod:`~darkreach.events.sample`: the in-memory sample (one row per particle) and metadata.
- :mod:`~darkreach.events.inverse_cdf`: inverse-CDF sampling on fine grids (1-d and row-wise).
- :mod:`~darkreach.events.kinematics`: isotropic directions, rotations, boosts, two-body decays.
- :mod:`~darkreach.events.decay`: decay of X (channel by branching ratio, vertex, products).
- :mod:`~darkreach.events.mu_brem`: mu N -> mu N X in a card's thick target.
- :mod:`~darkreach.events.electron`: e N -> e N X in a missing-energy shower, e+ e- -> X.
- :mod:`~darkreach.events.kaon`: K+ -> mu+ nu X and the IB background K+ -> mu+ nu gamma.
- :mod:`~darkreach.events.dump`: p N -> X in a proton dump, X -> l+ l- accepted in the volume.
- :mod:`~darkreach.events.parquet`, :mod:`~darkreach.events.hepmc`, :mod:`~darkreach.events.lhe`:
  writers (Parquet and HepMC3 need the ``darkreach[events]`` extra; LHE is standard library).

Units: MeV for momenta and energies, mm and ns for vertices (hepunits). Weights have mean equal
to the sample's cross section [pb] (mu N -> mu N X), X yield per particle on target (electron
channel) or branching ratio (kaon channels), so an unweighted sample has all weights equal to
that number.
"""
