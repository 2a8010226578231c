"""Plain text from the mathtext labels used on plots (for terminal, CSV and JSON output).

Labels such as ``r"$L_\\mu - L_\\tau$ $Z'$"`` are for matplotlib; people reading a terminal,
a CSV header or a JSON value get ``"L_mu - L_tau Z'"`` instead.

>>> plain_text(r"$L_\\mu - L_\\tau$ $Z'$")
"L_mu - L_tau Z'"
>>> plain_text(r"$|U_{\\mu 4}|^2$")
'|U_mu4|^2'
>>> plain_text(r"$\\varepsilon$")
'eps'
"""

from __future__ import annotations

import re

_WORDS = {
    "varepsilon": "eps",
    "epsilon": "eps",
    "alpha": "alpha",
    "chi": "chi",
    "gamma": "gamma",
    "mu": "mu",
    "tau": "tau",
    "nu": "nu",
    "pi": "pi",
    "sigma": "sigma",
    "Delta": "Delta",
    "rightarrow": "->",
    "to": "->",
    "bar": "",
    "mathrm": "",
    "rm": "",
    "text": "",
    "pm": "+-",
    "times": "x",
    "cdot": "*",
    "ell": "l",
}


def plain_text(label: str) -> str:
    """``label`` without mathtext markup: ``$``, braces, backslash commands, spacing."""
    text = label.replace("$", "")
    text = re.sub(r"\\([A-Za-z]+)", lambda m: _WORDS.get(m.group(1), m.group(1)), text)
    text = re.sub(r"\\[,;:! ]", " ", text)
    text = re.sub(r"_\{([^{}]*)\}", lambda m: "_" + m.group(1).replace(" ", ""), text)
    text = re.sub(r"\^\{([^{}]*)\}", lambda m: "^" + m.group(1).replace(" ", ""), text)
    text = text.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", text).strip()


__all__ = ["plain_text"]
