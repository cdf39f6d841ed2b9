# Copyright (c) mmrecast contributors. All rights reserved.
"""The converted akamaster teachers keep their published accuracy on the
real CIFAR-10 test images."""
import re

import pytest
import torch

from mmrecast.utils import load_checkpoint_file
from mmrecast.utils.state_dict import remap_state_dict
from tests.helpers import (config_path, find_checkpoint, find_data,
                           on_cifar10_folder, run_tool, run_tool_in_process)

pytestmark = pytest.mark.slow  # runs the tools in subprocesses

CONVERTER = 'model_converters/akamaster_resnet_to_mmrecast.py'


@pytest.mark.parametrize('depth, top1', [(20, 91.6), (32, 92.8), (44, 93.4)])
def test_converted_teacher_accuracy(depth, top1, tmp_path):
    src = find_checkpoint(f'resnet{depth}-')
    data_root = find_data('cifar10')
    config = config_path('resnet_cifar',
                         f'resnet{depth}_akamaster_cifar10-folder.py')
    dst = tmp_path / f'resnet{depth}.pth'
    # in-process (the tools' command lines run as such elsewhere): the
    # three depths spare six interpreter start-ups
    code, out, err = run_tool_in_process(
        CONVERTER, [src, dst, '--verify', config])
    assert code == 0, (out + err)[-2000:]
    # the result is a plain weights file
    assert torch.serialization.get_unsafe_globals_in_checkpoint(
        str(dst)) == []
    assert load_checkpoint_file(dst)['meta']['source'].startswith(
        'akamaster')

    code, out, err = run_tool_in_process('test.py', [
        config, dst, '--work-dir', tmp_path, '--cfg-options',
        f'test_dataloader.dataset.data_root={data_root}'
    ])
    assert code == 0, (out + err)[-2000:]
    measured = float(re.findall(r'accuracy/top1: ([\d.]+)', out + err)[-1])
    assert measured == pytest.approx(top1, abs=0.3)


def test_converter_never_overwrites_its_source(tmp_path):
    src = tmp_path / 'same.th'
    src.write_bytes(b'x')
    proc = run_tool([CONVERTER, src, src], cwd=tmp_path)
    assert proc.returncode == 2 and 'dst must differ from src' in proc.stdout
    assert src.read_bytes() == b'x'


# the README recipe: CIFAR ResNets named conv1/bn1/layer*/fc with
# downsample (conv + BN) shortcuts, onto CifarResNet(shortcut='B')
RECIPE = [
    r'^conv1\.=backbone.stem.0.', r'^bn1\.=backbone.stem.1.',
    r'^(layer\d+)\.=backbone.\1.', r'\.downsample\.=.shortcut.',
    r'^fc\.=head.fc.'
]
GENERIC = 'model_converters/state_dict_to_mmrecast.py'


def _foreign_resnet20(path):
    """A CIFAR ResNet-20 state dict in the other repositories' layout,
    and the mmrecast model it came from."""
    from mmengine.config import Config

    from mmrecast.apis import register_all_modules
    from mmrecast.registry import MODELS
    register_all_modules()
    cfg = Config.fromfile(config_path('resnet_cifar',
                                      'resnet20_1xb128_cifar10.py'))
    cfg.model.backbone.stem_norm = True
    model = MODELS.build(cfg.model).eval()
    for m in model.modules():  # BN statistics that are not the defaults
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-1, 1)
            m.running_var.uniform_(0.5, 2)
    renames = [(r'^backbone\.stem\.0\.', 'conv1.'),
               (r'^backbone\.stem\.1\.', 'bn1.'), (r'^backbone\.', ''),
               (r'\.shortcut\.', '.downsample.'), (r'^head\.fc\.', 'fc.')]
    foreign = remap_state_dict(model.state_dict(), renames)
    assert 'layer2.0.downsample.0.weight' in foreign
    torch.save({'model': foreign, 'epoch': 200}, path)
    return model


def test_generic_converter_recipe_for_downsample_resnets(tmp_path,
                                                         cifar10_tiny):
    model = _foreign_resnet20(tmp_path / 'foreign.pth')
    config = on_cifar10_folder('resnet_cifar/resnet20_1xb128_cifar10.py',
                               tmp_path, cifar10_tiny)
    dst = tmp_path / 'converted.pth'
    code, out, err = run_tool_in_process(GENERIC, [
        tmp_path / 'foreign.pth', dst, '--config', config, '--key-map',
        *RECIPE, '--verify', '--cfg-options', 'model.backbone.stem_norm=True'
    ])
    assert code == 0, err
    assert re.search(r'verify: one test batch of \d+ images runs', out)
    converted = load_checkpoint_file(dst)['state_dict']
    original = model.state_dict()
    assert converted.keys() == original.keys()
    assert all(torch.equal(converted[k], original[k]) for k in original)
    # a wrong map is refused with the keys it left unmatched
    code, _, err = run_tool_in_process(GENERIC, [
        tmp_path / 'foreign.pth', tmp_path / 'bad.pth', '--config', config,
        '--key-map', *RECIPE[:-1], '--cfg-options',
        'model.backbone.stem_norm=True'
    ])
    assert code == 2 and "unexpected ['fc.weight', 'fc.bias']" in err
    assert not (tmp_path / 'bad.pth').exists()
    # and nothing is overwritten
    code, _, err = run_tool_in_process(GENERIC, [
        tmp_path / 'foreign.pth', dst, '--config', config, '--key-map',
        *RECIPE, '--cfg-options', 'model.backbone.stem_norm=True'
    ])
    assert code == 2 and 'converted.pth: exists' in err
    # a map that is no regular expression, or whose replacement names a
    # group it has not: one line (an re.error traceback once)
    for pair, says in (('([=x', 'unterminated character set'),
                       (r'(a)=\2', 'invalid group reference 2')):
        code, _, err = run_tool_in_process(GENERIC, [
            tmp_path / 'foreign.pth', tmp_path / 'bad.pth', '--config',
            config, '--key-map', pair])
        assert code == 2
        assert err.strip().splitlines()[-1].startswith(
            f"error: --key-map {pair!r}: {says}"), err
