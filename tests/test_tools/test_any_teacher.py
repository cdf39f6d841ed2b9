# Copyright (c) mmrecast contributors. All rights reserved.
"""A teacher from another codebase, with no reader or rule registered: a
DenseNet-BC-like model of the test's own (blocks that concatenate,
transitions that pool functionally, no width attributes), loaded by file
path. Its dense blocks are recast into BasicBlocks in both modes (widths
and strides measured by probing), fine-tuned, exported and evaluated."""
import re

import pytest

from mmrecast.models.recasters import has_reader, rebuild_for_input
from tests.helpers import REPO, run_tool_in_process

pytestmark = pytest.mark.slow  # four short trainings through the tools

MODEL_FILE = '''
import torch
import torch.nn as nn
import torch.nn.functional as F


class Layer(nn.Module):
    def __init__(self, cin, growth):
        super().__init__()
        self.bn = nn.BatchNorm2d(cin)
        self.conv = nn.Conv2d(cin, growth, 3, padding=1, bias=False)

    def forward(self, x):
        return torch.cat([x, self.conv(F.relu(self.bn(x)))], 1)


class Dense(nn.Module):
    def __init__(self, cin, growth, n):
        super().__init__()
        self.layers = nn.Sequential(
            *[Layer(cin + i * growth, growth) for i in range(n)])

    def forward(self, x):
        return self.layers(x)


class Transition(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.bn = nn.BatchNorm2d(cin)
        self.conv = nn.Conv2d(cin, cout, 1, bias=False)

    def forward(self, x):
        return F.avg_pool2d(self.conv(F.relu(self.bn(x))), 2)


class TinyDenseNet(nn.Module):
    def __init__(self, num_classes=10, growth=6, n=2):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 12, 3, padding=1, bias=False)
        self.block1 = Dense(12, growth, n)
        self.trans1 = Transition(12 + n * growth, 12)
        self.block2 = Dense(12, growth, n)
        self.bn = nn.BatchNorm2d(12 + n * growth)
        self.fc = nn.Linear(12 + n * growth, num_classes)

    def forward(self, x):
        x = self.block2(self.trans1(self.block1(self.conv1(x))))
        x = F.adaptive_avg_pool2d(F.relu(self.bn(x)), 1).flatten(1)
        return self.fc(x)
'''

RECAST = str(REPO / 'configs' / 'recasting' / (
    'recast_backbone_resnet20-akamaster_convnet20_1xb64_cifar10-folder_'
    'recast.py'))


def _configs(tmp_path, mode):
    recast = tmp_path / f'recast_{mode}.py'
    model_file = str(tmp_path / 'my_densenet.py') + ':TinyDenseNet'
    recast.write_text(f'''
_base_ = [{RECAST!r}]
teacher = dict(
    type='ImageClassifier', _scope_='mmpretrain',
    backbone=dict(type='mmrecast.ExternalBackbone',
                  module={model_file!r}),
    head=dict(type='ClsHead', loss=dict(type='CrossEntropyLoss')))
model = dict(
    _delete_=True, type='BlockRecast', teacher=teacher, mode={mode!r},
    input_size=(3, 32, 32),
    plan=dict(
        sequence=['backbone.module.block1', 'backbone.module.trans1',
                  'backbone.module.block2', 'backbone.module.fc'],
        steps=[dict(blocks='backbone.module.block*',
                    recaster=dict(type='DenseBlockToBasicBlock'))]))
''')
    finetune = tmp_path / f'finetune_{mode}.py'
    finetune.write_text(f'''
_base_ = [{str(recast)!r}]
model = dict(
    type='RecastFinetune',
    init_from=[dict(module='student', checkpoint={str(tmp_path / mode)!r},
                    prefix='student.')])
param_scheduler = dict(_delete_=True, type='ConstantLR', by_epoch=False,
                       factor=1.0)
train_cfg = dict(_delete_=True, by_epoch=False, max_iters=2,
                 val_interval=2)
custom_hooks = []
''')
    return recast, finetune


def _run(tool, args):
    code, out, err = run_tool_in_process(tool, [str(a) for a in args])
    assert code == 0, out[-3000:] + err[-3000:]
    return out


@pytest.mark.parametrize('mode, stages', [('sequential', 2), ('parallel', 1)])
def test_file_densenet_recast_finetune_export_evaluate(
        tmp_path, cifar10_tiny, mode, stages):
    (tmp_path / 'my_densenet.py').write_text(MODEL_FILE)
    recast, finetune = _configs(tmp_path, mode)
    data = [f'{s}_dataloader.dataset.data_root={cifar10_tiny}'
            for s in ('train', 'val', 'test')]
    fast = ['train_dataloader.batch_size=8', 'train_dataloader.num_workers=0',
            'train_dataloader.persistent_workers=False',
            'val_dataloader.num_workers=0', 'test_dataloader.num_workers=0',
            'val_dataloader.persistent_workers=False',
            'test_dataloader.persistent_workers=False']
    out = _run('train.py', [recast, '--work-dir', tmp_path / mode,
                            '--cfg-options', 'train_cfg.iters_per_stage=2',
                            *fast, *data])
    assert 'DenseBlockToBasicBlock' in out and 'plan check passed' in out
    assert (tmp_path / mode / f'stage_{stages}.pth').is_file()
    _run('train.py',
         [finetune, '--work-dir', tmp_path / 'ft', '--cfg-options', *fast,
          *data])
    _run('export_student.py', [finetune, tmp_path / 'ft' / 'iter_2.pth',
                               tmp_path / 'export'])
    out = _run('test.py', [tmp_path / 'export' / 'student.py',
                           tmp_path / 'export' / 'student.pth', '--work-dir',
                           tmp_path / 'test', '--cfg-options', data[2],
                           'test_dataloader.num_workers=0'])
    assert re.search(r'accuracy/top1: [\d.]+', out)
    # and none of it needed a registered reader or rebuild rule
    import sys
    module = next(m for n, m in sys.modules.items()
                  if n.startswith('mmrecast_file_my_densenet_'))
    for cls in (module.Dense, module.Transition, module.Layer):
        assert not has_reader(cls.__new__(cls))
        assert rebuild_for_input.dispatch(cls) is \
            rebuild_for_input.dispatch(object)
