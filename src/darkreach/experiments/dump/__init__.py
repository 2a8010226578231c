"""Proton beam dumps with visible decays far downstream (NA62 in beam-dump mode).

Handbook electron_and_dump.md part B. The package splits by concept:

- :mod:`.geometry`: the dump, the decay volume and the detector planes (card -> numbers);
- :mod:`.decay_integral`: the probability to decay inside the volume, weighted by an
  acceptance that varies linearly between decay-position nodes (analytic in lambda);
- :mod:`.simulation`: the seeded, vectorised Monte Carlo over the production spectrum
  (meson decays, proton bremsstrahlung) that builds acceptance tables per mass;
- :mod:`.schema` and :mod:`.experiment`: the ``beam-dump`` card type and its yields and
  two-edged reach.
"""

from darkreach.experiments.dump.experiment import BeamDump
from darkreach.experiments.dump.schema import BeamDumpCard

__all__ = ["BeamDump", "BeamDumpCard"]
