# Copyright (c) mmrecast contributors. All rights reserved.
"""Convert any plain PyTorch state dict onto an mmrecast or mmpretrain
config: rename its keys with regular expressions, load them strictly into
the config's model, and save a weights-only checkpoint.

Example (a CIFAR ResNet with ``conv1/bn1/layer*/fc`` names and
``downsample`` conv+BN shortcuts onto ``CifarResNet(shortcut='B',
stem_norm=True)``; docs/recast_your_own_network.md):
    python tools/model_converters/state_dict_to_mmrecast.py \\
        resnet56_cifar100.pth checkpoints/resnet56_cifar100_mmrecast.pth \\
        --config configs/resnet_cifar/resnet56_1xb128_cifar100.py \\
        --key-map '^conv1\\.=backbone.stem.0.' '^bn1\\.=backbone.stem.1.' \\
        '^(layer\\d+)\\.=backbone.\\1.' '\\.downsample\\.=.shortcut.' \\
        '^fc\\.=head.fc.' \\
        --cfg-options model.backbone.stem_norm=True --verify
"""
import argparse
import os.path as osp
import re

import torch

from mmrecast.apis import register_all_modules
from mmrecast.registry import MODELS
from mmrecast.utils import (apply_compat_patches, load_checkpoint_file,
                            runner_model_cfg)
from mmrecast.utils.cli import (add_tool_args, apply_tool_args, load_config,
                                make_parent, output_file, refuse_existing,
                                tool_description)
from mmrecast.utils.config_loader import build_config_loader
from mmrecast.utils.errors import ConfigError, run_tool_main
from mmrecast.utils.state_dict import remap_state_dict
from mmrecast.utils.weights import load_fitting

# where common checkpoint formats keep the weights
_WEIGHT_KEYS = ('state_dict', 'model', 'net', 'model_state_dict')


def _weights(source, src: str, key: str = None) -> dict:
    """The tensors of a loaded checkpoint (its ``key`` entry, or the first
    of the usual ones, or the file itself)."""
    if key is not None:
        if not isinstance(source, dict) or key not in source:
            raise ConfigError(f'{src}: has no entry {key!r}; check '
                              '--state-dict-key')
        return source[key]
    if isinstance(source, dict) and all(
            isinstance(v, torch.Tensor) for v in source.values()):
        return source
    for name in _WEIGHT_KEYS:
        if isinstance(source, dict) and isinstance(source.get(name), dict):
            return source[name]
    raise ConfigError(f'{src}: no state dict found (not a dict of tensors, '
                      f'nor under {", ".join(_WEIGHT_KEYS)}); give '
                      '--state-dict-key')


def _key_map(pairs) -> list:
    parsed = []
    for pair in pairs or []:
        pattern, sep, repl = pair.partition('=')
        if not sep or not pattern:
            raise ConfigError(f'--key-map {pair!r}: write REGEX=REPLACEMENT')
        try:  # the replacement's group references are checked here too
            re.compile(pattern).sub(repl, '')
        except re.error as error:
            raise ConfigError(f'--key-map {pair!r}: {error} (a Python '
                              'regular expression and re.sub replacement)')
        parsed.append((pattern, repl))
    return parsed


def _check_batch(model, cfg) -> str:
    """One real test batch through the model: what it predicts."""
    loader = build_config_loader(cfg, 'test_dataloader',
                                 '--verify runs one of its batches')
    batch = next(iter(loader))
    with torch.no_grad():
        samples = model.test_step(batch)
    right = sum(int(s.pred_label.item() == s.gt_label.item())
                for s in samples)
    return (f'verify: one test batch of {len(samples)} images runs; top-1 '
            f'{right}/{len(samples)} on it')


def main() -> None:
    parser = argparse.ArgumentParser(description=tool_description(__doc__))
    parser.add_argument('src', help='the state dict (any torch.save file)')
    parser.add_argument('dst', type=output_file,
                        help='output mmrecast checkpoint (.pth)')
    parser.add_argument('--config', required=True,
                        help='config whose model the weights are for')
    parser.add_argument(
        '--key-map', nargs='+', metavar='REGEX=REPL',
        help='renames, applied in order to every key (re.sub)')
    parser.add_argument(
        '--state-dict-key',
        help='entry of SRC holding the weights (default: the file itself, '
        f'or the first of {", ".join(_WEIGHT_KEYS)})')
    parser.add_argument(
        '--verify', action='store_true',
        help="also run one batch of the config's test set through it")
    add_tool_args(parser, writes=True, cfg_options=True)
    args = parser.parse_args()
    apply_compat_patches()
    apply_tool_args(args)
    if osp.abspath(args.src) == osp.abspath(args.dst):
        parser.error('dst must differ from src: the source is never '
                     'overwritten')
    refuse_existing([args.dst], args.force)
    register_all_modules()
    cfg = load_config(args.config, args.cfg_options)
    source = load_checkpoint_file(args.src, map_location='cpu')
    key_map = _key_map(args.key_map)
    weights = _weights(source, args.src, args.state_dict_key)
    try:
        weights = remap_state_dict(weights, key_map)
    except ValueError as error:  # two keys renamed alike
        raise ConfigError(f'--key-map: {error}') from None
    model = MODELS.build(runner_model_cfg(cfg)).eval()
    result = load_fitting(model, weights, args.src)
    if result.missing_keys or result.unexpected_keys:
        raise ConfigError(
            f'{args.src}: after --key-map the weights do not match '
            f'{args.config} (missing {result.missing_keys[:3]}, unexpected '
            f'{result.unexpected_keys[:3]}); fix --key-map, nothing written')
    if args.verify:
        print(_check_batch(model, cfg))
    meta = dict(converted_from=osp.basename(args.src),
                config=osp.basename(args.config))
    torch.save(dict(state_dict=dict(weights), meta=meta),
               make_parent(args.dst))
    print(f'saved {len(weights)} tensors to {args.dst}, loaded strictly '
          f'into {args.config}')


if __name__ == '__main__':
    run_tool_main(main)
