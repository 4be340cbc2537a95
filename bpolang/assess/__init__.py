"""Running the contract: a period's measurements in; attainment, credits, penalties and the invoice out.

- :mod:`bpolang.assess.measurements`: the measurements format (version 1), its readers and its checks;
- :mod:`bpolang.assess.engine`: the arithmetic, each amount with its derivation;
- :mod:`bpolang.assess.statement`: the statement (table, Markdown, HTML, JSON);
- :mod:`bpolang.assess.scenarios`: contract tests (`bpo test`).
"""
