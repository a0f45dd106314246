__version__ = "0.1.0"


def load_ipython_extension(ipython):
    "`%load_ext ssl4code`: Tab in notebook cells offers the model's completions first."
    from .jupyter import load_ipython_extension as load
    load(ipython)


def unload_ipython_extension(ipython):
    "`%unload_ext ssl4code`: remove the model's Tab completions and restore IPython's own."
    from .jupyter import unload_ipython_extension as unload
    unload(ipython)
