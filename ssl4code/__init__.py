__version__ = "0.1.0"


def load_ipython_extension(ipython):
    "`%load_ext ssl4code`: Tab in notebook cells offers the model's completions first."
    from .serve import load_ipython_extension as load
    load(ipython)
