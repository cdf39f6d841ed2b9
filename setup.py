# Copyright (c) mmrecast contributors. All rights reserved.
"""Install mmrecast.

torch and torchvision are not install requirements, as in every OpenMMLab
package: install them first (``requirements/torch.txt`` has the known-good
pair) so that no other package picks the torch build. ``mmcv`` is optional
for the same reason: the ``lite`` extra installs ``mmcv-lite``; a user with
the full mmcv 2.x installs without it.
"""
import os.path as osp

from setuptools import find_packages, setup

HERE = osp.dirname(osp.abspath(__file__))


def read_requirements(name: str) -> list:
    """Requirement lines of ``requirements/<name>.txt`` (no comments)."""
    with open(osp.join(HERE, 'requirements', f'{name}.txt')) as f:
        lines = (line.split('#')[0].strip() for line in f)
        return [line for line in lines if line and not line.startswith('-')]


def get_version() -> str:
    namespace: dict = {}
    with open(osp.join(HERE, 'mmrecast', 'version.py')) as f:
        exec(compile(f.read(), 'version.py', 'exec'), namespace)
    return namespace['__version__']


def readme() -> str:
    with open(osp.join(HERE, 'README.md'), encoding='utf-8') as f:
        return f.read()


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
    python_requires='>=3.9',
    install_requires=read_requirements('runtime'),
    extras_require={
        'lite': read_requirements('mminstall'),
        'tests': read_requirements('tests'),
        'deploy': read_requirements('deploy'),
        'all': (read_requirements('mminstall') + read_requirements('tests') +
                read_requirements('deploy')),
    },
    classifiers=[
        'Programming Language :: Python :: 3',
        'Programming Language :: Python :: 3.11',
        'Topic :: Scientific/Engineering :: Artificial Intelligence',
    ],
    license='Apache License 2.0',
    zip_safe=False)
