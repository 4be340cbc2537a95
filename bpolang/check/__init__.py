"""Checking a contract: the pipeline (parse → build → resolve), the rules, configuration, suppressions, outputs.

:func:`bpolang.check.driver.findings` is the one check driver: the command line, the language
server, the cache's workers, the bench and the tests all call it.
"""
