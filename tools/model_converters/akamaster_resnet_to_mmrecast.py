# Copyright (c) mmrecast contributors. All rights reserved.
"""Convert an akamaster/pytorch_resnet_cifar10 checkpoint to mmrecast.

The source is a dict with ``state_dict`` (keys prefixed ``module.``) and
``best_prec1``, for He et al.'s CIFAR ResNets with option-A shortcuts. The
result is a weights-only checkpoint for ``mmrecast.CifarResNet(shortcut='A',
stem_norm=True)`` inside an mmpretrain ``ImageClassifier``, e.g.
``configs/resnet_cifar/resnet20_akamaster_cifar10-folder.py``.

Example:
    python tools/model_converters/akamaster_resnet_to_mmrecast.py \
        ../shared/checkpoints/resnet20-12fca82f.th \
        checkpoints/resnet20_akamaster.pth \
        --verify configs/resnet_cifar/resnet20_akamaster_cifar10-folder.py
"""
import argparse
import os.path as osp
import re

import torch

from mmrecast.apis import register_all_modules
from mmrecast.registry import MODELS
from mmrecast.utils import apply_compat_patches, load_checkpoint_file
from mmrecast.utils.cli import (add_tool_args, apply_tool_args, load_config,
                                make_parent, output_file, refuse_existing,
                                tool_description)
from mmrecast.utils.errors import ConfigError, run_tool_main
from mmrecast.utils.state_dict import remap_state_dict

AKAMASTER_KEY = re.compile(r'^(module\.)?(conv1|bn1|layer\d+|linear)\.')
KEY_MAP = [
    (r'^module\.', ''),
    (r'^conv1\.', 'backbone.stem.0.'),
    (r'^bn1\.', 'backbone.stem.1.'),
    (r'^(layer\d+\.)', r'backbone.\1'),
    (r'^linear\.', 'head.fc.'),
]


def convert(src: str) -> dict:
    """Load the akamaster checkpoint (weights-only) and rename its keys."""
    source = load_checkpoint_file(src, map_location='cpu')
    if not isinstance(source, dict) or 'state_dict' not in source:
        raise ConfigError(f'{src}: has no "state_dict"; not an akamaster '
                          'pytorch_resnet_cifar10 checkpoint')
    # BN entries saved before torch 0.4.1 have no num_batches_tracked;
    # torch's BN loader adds it to files without version metadata
    foreign = [k for k in source['state_dict']
               if not AKAMASTER_KEY.match(k)]
    state_dict = remap_state_dict(source['state_dict'], KEY_MAP)
    if foreign:
        raise ConfigError(f'{src}: keys such as {foreign[:3]} are not those '
                          'of an akamaster CIFAR ResNet; nothing written')
    meta = dict(
        converted_from=osp.basename(src),
        source='akamaster/pytorch_resnet_cifar10')
    if 'best_prec1' in source:
        meta['source_best_prec1'] = float(source['best_prec1'])
    return dict(state_dict=state_dict, meta=meta)


def verify(checkpoint: dict, config: str) -> None:
    """Build the config's model and load the weights strictly."""
    register_all_modules()
    model = MODELS.build(load_config(config).model)
    try:
        result = model.load_state_dict(checkpoint['state_dict'],
                                       strict=False)
    except RuntimeError as error:  # shapes differ
        raise ConfigError(f'--verify {config}: the converted weights do not '
                          f'fit its model ({str(error).splitlines()[-1]}); '
                          'nothing written') from None
    if result.missing_keys or result.unexpected_keys:
        raise ConfigError(f'--verify {config}: the converted weights do not '
                          f'fit its model (missing {result.missing_keys[:3]},'
                          f' unexpected {result.unexpected_keys[:3]}); '
                          'nothing written')


def main() -> None:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('src', help='akamaster checkpoint (.th)')
    parser.add_argument('dst', type=output_file,
                        help='output mmrecast checkpoint (.pth)')
    parser.add_argument(
        '--verify',
        metavar='CONFIG',
        help='also check that the weights load strictly into this config')
    add_tool_args(parser, writes=True)
    args = parser.parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    if osp.abspath(args.src) == osp.abspath(args.dst):
        parser.error('dst must differ from src: the source is never '
                     'overwritten')
    refuse_existing([args.dst], args.force)
    checkpoint = convert(args.src)
    if args.verify:
        verify(checkpoint, args.verify)
    torch.save(checkpoint, make_parent(args.dst))
    print(f'saved {len(checkpoint["state_dict"])} tensors to {args.dst}')


if __name__ == '__main__':
    run_tool_main(main)
