# Copyright (c) mmrecast contributors. All rights reserved.
"""Install mmrecast.

torch and torchvision are not install requirements, as in every OpenMMLab
package: install them first (``requirements/torch.txt`` has the known-good
pair) so that no other package picks the torch build. ``mmcv`` is optional
for the same reason: the ``lite`` extra installs ``mmcv-lite``; a user with
the full mmcv 2.x installs without it.

As in mmpretrain, ``configs/``, ``tools/`` and ``model-index.yml`` go into
the package as ``mmrecast/.mim`` (copied for a wheel or sdist, linked for
an editable install), so that ``mim train mmrecast CONFIG`` and
``_base_ = 'mmrecast::...'`` configs work from any install.
"""
import os
import os.path as osp
import shutil
import sys

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def read_requirements(name: str) -> list:
    """Requirement lines of ``requirements/<name>.txt`` (no comments)."""
    with open(osp.join(HERE, 'requirements', f'{name}.txt')) as f:
        lines = (line.split('#')[0].strip() for line in f)
        return [line for line in lines if line and not line.startswith('-')]


def add_mim_extension() -> None:
    """Put the files mim and ``mmrecast::`` configs need under
    ``mmrecast/.mim``: links for an editable install, copies otherwise."""
    if {'develop', 'editable_wheel'} & set(sys.argv):
        mode = 'symlink'
    elif {'sdist', 'bdist_wheel', 'build', 'install'} & set(sys.argv):
        mode = 'copy'
    else:
        return
    mim_path = osp.join(HERE, 'mmrecast', '.mim')
    os.makedirs(mim_path, exist_ok=True)
    for name in ('configs', 'tools', 'model-index.yml'):
        src, dst = osp.join(HERE, name), osp.join(mim_path, name)
        if osp.islink(dst) or osp.isfile(dst):
            os.remove(dst)
        elif osp.isdir(dst):
            shutil.rmtree(dst)
        if mode == 'symlink':
            os.symlink(osp.relpath(src, mim_path), dst)
        elif osp.isdir(src):
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns(
                '__pycache__', '*.pyc', 'logs'))
        else:
            shutil.copyfile(src, dst)


def get_version() -> str:
    namespace: dict = {}
    with open(osp.join(HERE, 'mmrecast', 'version.py')) as f:
        exec(compile(f.read(), 'version.py', 'exec'), namespace)
    return namespace['__version__']


def readme() -> str:
    with open(osp.join(HERE, 'README.md'), encoding='utf-8') as f:
        return f.read()


add_mim_extension()
setup(
    name='mmrecast',
    version=get_version(),
    description='Network Recasting and Factor Transfer for OpenMMLab: '
    'turn a trained teacher into a student of another architecture',
    long_description=readme(),
    long_description_content_type='text/markdown',
    keywords='network recasting, knowledge distillation, factor transfer, '
    'model compression, openmmlab',
    packages=find_packages(exclude=('configs', 'tools', 'tests', 'docs')),
    include_package_data=True,
    python_requires='>=3.9',
    install_requires=read_requirements('runtime'),
    extras_require={
        'lite': read_requirements('mminstall'),
        'tests': read_requirements('tests'),
        'deploy': read_requirements('deploy'),
        'search': read_requirements('search'),
        'all': (read_requirements('mminstall') + read_requirements('tests') +
                read_requirements('deploy') + read_requirements('search')),
    },
    classifiers=[
        'Programming Language :: Python :: 3',
        'Programming Language :: Python :: 3.11',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
    ],
    license='Apache License 2.0',
    zip_safe=False)
