# Copyright (c) mmrecast contributors. All rights reserved.
"""What trains in each stage, and that the teacher never changes."""
import copy
import re

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmpretrain.structures import DataSample

from mmrecast.apis import register_all_modules
from mmrecast.datasets import crop_flip_collate
from mmrecast.registry import MODELS
from mmrecast.utils.errors import CheckpointFileError, ConfigError
from tests.helpers import cifar_resnet, config_path

register_all_modules()

FT = 'factor_transfer/factor-transfer_backbone_resnet56_resnet20_1xb128_' \
     'cifar10_{}.py'


@pytest.fixture
def teacher_file(tmp_path):
    """A (random) ResNet-20 teacher saved as a plain weights file."""
    teacher = MODELS.build(cifar_resnet(20))
    teacher.init_weights()
    path = tmp_path / 'teacher.pth'
    torch.save({'state_dict': teacher.state_dict()}, path)
    return path


def _build(stage, teacher_file, **model):
    cfg = Config.fromfile(config_path(FT.format(stage)))
    cfg.model.teacher = cifar_resnet(20)
    cfg.model.teacher_checkpoint = str(teacher_file)
    cfg.model.pop('init_from', None)
    cfg.model.update(model)
    algo = MODELS.build(cfg.model)
    algo.init_weights()
    return algo


def _batch(n=4):
    inputs = torch.randn(n, 3, 32, 32)
    samples = [DataSample().set_gt_label(i % 10) for i in range(n)]
    return inputs, samples


def _teacher_state(algo):
    return {k: v.clone() for k, v in algo.teacher.state_dict().items()}


def _train_steps(algo, steps=3):
    wrapper = build_optim_wrapper(
        algo, dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9)))
    algo.train()
    for _ in range(steps):
        inputs, samples = _batch()
        losses = algo(inputs, samples, mode='loss')
        loss, _ = algo.parse_losses(losses)
        wrapper.update_params(loss)
    return losses


def _with_grad(algo):
    algo.zero_grad()
    inputs, samples = _batch()
    loss, _ = algo.parse_losses(algo(inputs, samples, mode='loss'))
    loss.backward()
    return {
        name.split('.')[0] + ('.' + name.split('.')[1]
                              if name.startswith('connectors') else '')
        for name, p in algo.named_parameters() if p.grad is not None
    }


def test_pretrain_trains_only_the_connector(teacher_file):
    algo = _build('pretrain', teacher_file)
    assert not hasattr(algo, 'student')  # no student in this stage
    assert _with_grad(algo) == {'connectors.paraphraser'}
    before = _teacher_state(algo)
    losses = _train_steps(algo)
    assert set(losses) == {'loss_rec'}
    for key, value in algo.teacher.state_dict().items():
        assert torch.equal(value, before[key]), key  # incl. BN statistics
    assert not algo.teacher.training


@pytest.mark.parametrize('mode', ['tensor', 'predict'])
def test_pretrain_has_no_classifier_to_test_or_export(teacher_file, mode):
    with pytest.raises(ConfigError, match=f"mode='{mode}': the connector "
                       'pre-training stage has no classifier'):
        _build('pretrain', teacher_file)(torch.zeros(1, 3, 32, 32), mode=mode)


def test_distill_trains_student_and_translator(teacher_file):
    algo = _build('train', teacher_file)
    assert _with_grad(algo) == {'student', 'connectors.translator'}
    para_before = copy.deepcopy(algo.connectors.paraphraser.state_dict())
    before = _teacher_state(algo)
    losses = _train_steps(algo)
    assert {'loss_cls', 'loss_ft'} <= set(losses)
    for key, value in algo.teacher.state_dict().items():
        assert torch.equal(value, before[key]), key
    for key, value in algo.connectors.paraphraser.state_dict().items():
        assert torch.equal(value, para_before[key]), key
    # validation and testing see the student
    inputs, _ = _batch(2)
    algo.eval()
    with torch.no_grad():
        assert torch.equal(
            algo(inputs, mode='tensor'), algo.student(inputs, mode='tensor'))


def test_teacher_weights_are_loaded_not_reinitialised(teacher_file):
    algo = _build('train', teacher_file)
    saved = torch.load(teacher_file)['state_dict']
    for key, value in algo.teacher.state_dict().items():
        assert torch.equal(value, saved[key]), key


def test_init_from_hands_over_explicitly(teacher_file, tmp_path):
    stage1 = _build('pretrain', teacher_file)
    torch.save({'state_dict': stage1.state_dict()}, tmp_path / 'stage1.pth')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'stage1.pth'))
    stage2 = _build(
        'train',
        teacher_file,
        init_from=[
            dict(
                module='connectors.paraphraser',
                checkpoint=str(tmp_path),  # a work dir: its latest file
                prefix='connectors.paraphraser.')
        ])
    for key, value in stage2.connectors.paraphraser.state_dict().items():
        assert torch.equal(value, stage1.state_dict()[
            f'connectors.paraphraser.{key}']), key
    with pytest.raises(CheckpointFileError,
                       match="no weights under prefix 'nope.'"):
        _build(
            'train',
            teacher_file,
            init_from=[
                dict(
                    module='connectors.paraphraser',
                    checkpoint=str(tmp_path / 'stage1.pth'),
                    prefix='nope.')
            ])


@pytest.mark.parametrize('stage', ['pretrain', 'train'])
def test_fast_teacher_gives_the_teacher_modules_losses(tmp_path, stage):
    teacher = MODELS.build(cifar_resnet(20))
    teacher.init_weights()
    gen = torch.Generator().manual_seed(0)
    for name, value in teacher.state_dict().items():
        if name.endswith(('running_mean', 'bn1.bias', 'bn2.bias')):
            value.normal_(generator=gen)  # so that BN folding shows
    torch.save({'state_dict': teacher.state_dict()}, tmp_path / 't.pth')
    fast = _build(stage, tmp_path / 't.pth')
    plain = _build(stage, tmp_path / 't.pth', fast_teacher=False)
    plain.load_state_dict(fast.state_dict())
    assert plain.teacher_runner() is plain.teacher
    assert fast.teacher_runner() is not fast.teacher
    assert fast.state_dict().keys() == plain.state_dict().keys()
    inputs, samples = _batch()
    fast_losses = fast(inputs, samples, mode='loss')
    plain_losses = plain(inputs, samples, mode='loss')
    assert fast_losses.keys() == plain_losses.keys()
    for name, value in plain_losses.items():
        torch.testing.assert_close(fast_losses[name], value, rtol=1e-4,
                                   atol=1e-5)


@pytest.mark.parametrize('model, message', [
    (dict(distill_losses=dict(
        loss_x=dict(type='FTLoss', student='feat', teacher='nope'))),
     "record 'nope' is neither 'logits' nor one of the teacher_recorders"),
    (dict(distill_losses=dict(
        loss_x=dict(type='FTLoss', student=dict(
            record='feat', connector='x'), teacher='feat'))),
     "connector 'x' is not one of"),
    (dict(distill_losses=dict(ft=dict(type='FTLoss'))),
     "loss names must start with 'loss'"),
    (dict(student_recorders=dict(feat='backbone.layer9')),
     "student_recorders.feat: no module 'backbone.layer9'"),
    (dict(init_from=[dict(module='student', checkpoint=None)]),
     r"init_from\[0\] needs 'checkpoint'"),
])
def test_config_mistakes_are_explained(teacher_file, model, message):
    with pytest.raises(ValueError, match=message):
        _build('train', teacher_file, **model)


def test_init_from_a_checkpoint_of_another_model_names_the_fix(
        teacher_file):
    """The teacher's checkpoint given for the student (its weights are not
    under 'student.')."""
    with pytest.raises(ValueError, match=re.escape(
            f"init_from[0]: {teacher_file} has no weights under prefix "
            "'student.' (its top-level prefixes: backbone., head.); give the "
            'checkpoint of the run that trained them, or set '
            "init_from[0].prefix to the one its weights have ('' for "
            'weights of this module alone)')):
        _build('train', teacher_file, init_from=[
            dict(module='student', checkpoint=str(teacher_file))])


def _on_logits(teacher_file, losses: dict, **model):
    """The FT distill stage with only ``losses`` on logits."""
    return _build(
        'train',
        teacher_file,
        connectors={},
        teacher_recorders={},
        student_recorders={},
        distill_losses={
            name: dict(type=kind, student='logits', teacher='logits')
            for name, kind in losses.items()
        },
        **model)


def test_kd_and_logit_mse_use_teacher_logits(teacher_file):
    algo = _on_logits(teacher_file,
                      dict(loss_kd='KDLoss', loss_logits='MSELoss'))
    inputs, samples = _batch()
    algo.train()
    losses = algo(inputs, samples, mode='loss')
    assert set(losses) >= {'loss_cls', 'loss_kd', 'loss_logits'}
    with torch.no_grad():  # BN in train mode: the same batch statistics
        student = algo.student(inputs, mode='tensor')
        teacher = algo.teacher(inputs, mode='tensor')
    kd = algo.losses['loss_kd']
    assert not torch.allclose(kd(student, teacher), kd(teacher, student))
    torch.testing.assert_close(losses['loss_kd'].detach(),
                               kd(student, teacher), rtol=1e-4, atol=0)
    torch.testing.assert_close(
        losses['loss_logits'].detach(),
        torch.nn.functional.mse_loss(student, teacher), rtol=1e-4, atol=0)


def test_label_free_distill_trains_on_unlabeled_images(teacher_file):
    algo = _on_logits(teacher_file, dict(loss_logits='MSELoss'),
                      label_loss=False)
    inputs, _ = _batch()
    unlabeled = [DataSample() for _ in range(len(inputs))]
    algo.train()
    losses = algo(inputs, unlabeled, mode='loss')
    assert 'loss_logits' in losses and 'loss_cls' not in losses
    losses['loss_logits'].backward()
    assert all(p.grad is not None for p in algo.student.parameters())


def test_unlabeled_images_with_the_label_loss_are_explained(teacher_file):
    algo = _on_logits(teacher_file, dict(loss_logits='MSELoss'))
    inputs, _ = _batch()
    algo.train()
    with pytest.raises(ValueError, match='model.label_loss=False'):
        algo(inputs, [DataSample() for _ in range(len(inputs))],
             mode='loss')


RF = 'recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_' \
     'cifar10-folder_finetune-parallel.py'


def _finetune(**model):
    """The ResNet-20 recast fine-tune, with a random teacher."""
    cfg = Config.fromfile(config_path(RF))
    cfg.model.teacher_checkpoint = None
    cfg.model.pop('init_from', None)
    cfg.model.update(model)
    torch.manual_seed(0)
    algo = MODELS.build(cfg.model)
    algo.init_weights()
    return algo.train()


def test_cached_teacher_logits_give_the_live_losses_and_spare_the_teacher():
    live, cached = _finetune(), _finetune(cache_teacher_logits=True)
    state = live.state_dict()
    assert all(torch.equal(v, state[k])
               for k, v in cached.state_dict().items())
    images = torch.randint(0, 256, (6, 3, 32, 32), dtype=torch.uint8)
    batch = crop_flip_collate([
        dict(inputs=image,
             data_samples=DataSample(metainfo=dict(
                 sample_idx=i)).set_gt_label(i))
        for i, image in enumerate(images)
    ], padding=0)
    data = live.data_preprocessor(batch, training=True)
    expected = live(**data, mode='loss')
    for ran in (1., 0.):  # computed, then read from the cache
        losses = cached(**data, mode='loss')
        assert losses.pop('teacher_ran').item() == ran
        assert losses.keys() == expected.keys()
        for name, value in expected.items():
            assert torch.allclose(losses[name], value), name
    assert cached.teacher_cache.computed == 6


def test_a_cache_of_logits_is_refused_where_features_are_distilled(
        teacher_file):
    with pytest.raises(ConfigError, match='model.cache_teacher_logits'):
        _build('train', teacher_file, cache_teacher_logits=True)
