from packaging.version import parse
from configparser import ConfigParser
import setuptools, shlex

assert parse(setuptools.__version__) >= parse('36.2')

config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

cfg_keys = 'version description keywords author author_email'.split()
expected = cfg_keys + "lib_name user branch license status min_python audience language".split()
for o in expected: assert o in cfg, "missing expected setting: {}".format(o)
setup_cfg = {o: cfg[o] for o in cfg_keys}

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License')}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable',
            '6 - Mature', '7 - Inactive']
py_versions = '3.10 3.11 3.12 3.13'.split()

requirements = shlex.split(cfg.get('requirements', ''))
dev_requirements = shlex.split(cfg.get('dev_requirements', ''))
lic = licenses[cfg['license'].lower()]
min_python = cfg['min_python']
lib_path = cfg['lib_path']
entry_points = {'console_scripts': cfg.get('console_scripts', '').split()}

# JupyterLab (issue 21): the prebuilt front end (built by tools/build_labextension.py, committed) and the
# config that enables the server extension, installed where Jupyter looks, so a plain install enables both.
# (An editable install copies no data_files: see nbs/06_jupyterlab.ipynb for a development set-up.)
from pathlib import Path
labext = Path(lib_path)/'labextension'
labext_dirs = {}
for p in sorted(labext.rglob('*')):
    if p.is_file(): labext_dirs.setdefault(p.parent, []).append(p.as_posix())
data_files = [((Path('share/jupyter/labextensions/ssl4code')/d.relative_to(labext)).as_posix(), files)
              for d, files in labext_dirs.items()]
data_files.append(('etc/jupyter/jupyter_server_config.d', ['jupyter-config/jupyter_server_config.d/ssl4code.json']))
labext_package_data = [(d.relative_to(lib_path)/'*').as_posix() for d in labext_dirs]

setuptools.setup(
    name=cfg['lib_name'],
    license=lic[0],
    classifiers=['Development Status :: ' + statuses[int(cfg['status'])],
                 'Intended Audience :: ' + cfg['audience'].title(),
                 'License :: ' + lic[1],
                 'Natural Language :: ' + cfg['language'].title()]
                + ['Programming Language :: Python :: ' + o
                   for o in py_versions[py_versions.index(min_python):]],
    url=cfg['git_url'],
    packages=setuptools.find_packages(include=[lib_path, lib_path + '.*']),
    include_package_data=True,
    package_data={lib_path: ['assets/*'] + labext_package_data},
    data_files=data_files,
    install_requires=requirements,
    extras_require={'dev': dev_requirements},
    python_requires='>=' + cfg['min_python'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    zip_safe=False,
    entry_points=entry_points,
    **setup_cfg)
