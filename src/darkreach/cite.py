# ruff: noqa: E501
"""BibTeX for darkreach and for the physics it implements (``darkreach --cite``).

Journal details marked "unverified" in the handbook are given as arXiv entries only.
"""

from __future__ import annotations

from darkreach._version import __version__

BIBTEX = f"""@software{{darkreach,
  title   = {{darkreach: signal yields, limits and reach of fixed-target dark-sector searches}},
  version = {{{__version__}}},
  year    = {{2026}},
  note    = {{https://pypi.org/project/darkreach/ (planned)}}
}}

@article{{NA64:2024klw,
  author  = {{{{NA64 Collaboration}}}},
  title   = {{Exploration of the Muon g-2 and Light Dark Matter explanations in NA64 with the CERN SPS high energy muon beam}},
  journal = {{Phys. Rev. Lett.}},
  volume  = {{132}},
  pages   = {{211803}},
  year    = {{2024}},
  eprint  = {{2401.01708}},
  archivePrefix = {{arXiv}}
}}

@article{{NA64:2024nwj,
  author  = {{{{NA64 Collaboration}}}},
  title   = {{Shedding light on Dark Sectors with high-energy muons at the NA64 experiment at the CERN SPS}},
  year    = {{2024}},
  eprint  = {{2409.10128}},
  archivePrefix = {{arXiv}}
}}

@article{{Kahn:2018cqs,
  author  = {{Kahn, Yonatan and Krnjaic, Gordan and Tran, Nhan and Whitbeck, Andrew}},
  title   = {{M$^3$: a new muon missing momentum experiment to probe (g-2)$_\\mu$ and dark matter at Fermilab}},
  year    = {{2018}},
  eprint  = {{1804.03144}},
  archivePrefix = {{arXiv}}
}}

@article{{Kirpichnikov:2021jev,
  author  = {{Kirpichnikov, D. V. and Sieber, H. and Molina Bueno, L. and Crivelli, P. and Kirsanov, M. M.}},
  title   = {{Probing hidden sectors with a muon beam: total and differential cross-sections for vector boson production in muon bremsstrahlung}},
  journal = {{Phys. Rev. D}},
  volume  = {{104}},
  pages   = {{076012}},
  year    = {{2021}},
  eprint  = {{2107.13297}},
  archivePrefix = {{arXiv}}
}}

@article{{Bjorken:2009mm,
  author  = {{Bjorken, James D. and Essig, Rouven and Schuster, Philip and Toro, Natalia}},
  title   = {{New Fixed-Target Experiments to Search for Dark Gauge Forces}},
  journal = {{Phys. Rev. D}},
  volume  = {{80}},
  pages   = {{075018}},
  year    = {{2009}},
  eprint  = {{0906.0580}},
  archivePrefix = {{arXiv}}
}}

@article{{Liu:2017htz,
  author  = {{Liu, Yu-Sheng and Miller, Gerald A.}},
  title   = {{Validity of the Weizs\\"acker-Williams approximation and the analysis of beam dump experiments: Production of an axion, a dark photon, or a new axial-vector boson}},
  journal = {{Phys. Rev. D}},
  volume  = {{96}},
  pages   = {{016004}},
  year    = {{2017}},
  eprint  = {{1705.01633}},
  archivePrefix = {{arXiv}}
}}

@article{{Tsai:1973py,
  author  = {{Tsai, Yung-Su}},
  title   = {{Pair Production and Bremsstrahlung of Charged Leptons}},
  journal = {{Rev. Mod. Phys.}},
  volume  = {{46}},
  pages   = {{815}},
  year    = {{1974}}
}}

@article{{Feldman:1997qc,
  author  = {{Feldman, Gary J. and Cousins, Robert D.}},
  title   = {{A Unified approach to the classical statistical analysis of small signals}},
  journal = {{Phys. Rev. D}},
  volume  = {{57}},
  pages   = {{3873}},
  year    = {{1998}},
  eprint  = {{physics/9711021}},
  archivePrefix = {{arXiv}}
}}

@article{{Read:2002hq,
  author  = {{Read, Alexander L.}},
  title   = {{Presentation of search results: The CL(s) technique}},
  journal = {{J. Phys. G}},
  volume  = {{28}},
  pages   = {{2693}},
  year    = {{2002}}
}}

@article{{Krnjaic:2019rsv,
  author  = {{Krnjaic, Gordan and Marques-Tavares, Gustavo and Redigolo, Diego and Tobioka, Kohsaku}},
  title   = {{Probing Muonic Forces and Dark Matter at Kaon Factories}},
  journal = {{Phys. Rev. Lett.}},
  volume  = {{124}},
  pages   = {{041802}},
  year    = {{2020}},
  eprint  = {{1902.07715}},
  archivePrefix = {{arXiv}}
}}

@article{{Aoyama:2020ynm,
  author  = {{Aoyama, T. and others}},
  title   = {{The anomalous magnetic moment of the muon in the Standard Model}},
  year    = {{2020}},
  eprint  = {{2006.04822}},
  archivePrefix = {{arXiv}}
}}

@article{{Muong-2:2023cdq,
  author  = {{{{Muon g-2 Collaboration}}}},
  title   = {{Measurement of the Positive Muon Anomalous Magnetic Moment to 0.20 ppm}},
  year    = {{2023}},
  eprint  = {{2308.06230}},
  archivePrefix = {{arXiv}}
}}

@article{{BauerNeubert:2110.10698,
  author  = {{Bauer, Martin and Neubert, Matthias and Renner, Sophie and Schnubel, Marvin and Thamm, Andrea}},
  title   = {{Flavor probes of axion-like particles}},
  year    = {{2021}},
  eprint  = {{2110.10698}},
  archivePrefix = {{arXiv}},
  note    = {{K+ -> pi+ a amplitude (darkreach.production.kaon_to_pion)}}
}}

@article{{BezrukovGorbunov:0912.0390,
  author  = {{Bezrukov, F. and Gorbunov, D.}},
  year    = {{2009}},
  eprint  = {{0912.0390}},
  archivePrefix = {{arXiv}},
  note    = {{Light Higgs-mixed scalar: K+ -> pi+ S and decays (darkreach dark-scalar); title not re-read}}
}}
"""
