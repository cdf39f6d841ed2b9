# Copyright (c) mmrecast contributors. All rights reserved.
import pytest
import torch
from mmpretrain.structures import DataSample

from mmrecast.apis import register_all_modules
from mmrecast.models import ConvBNReLU
from mmrecast.registry import MODELS
from tests.helpers import RESNET20, VIT, VIT_LAYERS

register_all_modules()

TEACHER = RESNET20
PLAN = dict(steps=[
    dict(blocks='backbone.layer*.*', recaster=dict(type='BasicBlockToConv'))
])


def _algo(plan=PLAN, **kwargs):
    algo = MODELS.build(
        dict(type='BlockRecast', teacher=TEACHER, plan=plan, **kwargs))
    algo.init_weights()
    return algo


def _trainable(algo):
    return {
        '.'.join(n.split('.')[:3])
        for n, p in algo.student.named_parameters() if p.requires_grad
    }


def test_student_starts_as_a_copy():
    algo = _algo()
    for (k, a), (_, b) in zip(algo.student.state_dict().items(),
                              algo.teacher.state_dict().items()):
        assert torch.equal(a, b), k
    assert algo.num_stages == 9


def test_sequential_stage_semantics():
    algo = _algo()
    algo.begin_stage(1)  # installs stages 0 and 1
    assert isinstance(algo.student.backbone.layer1[0], ConvBNReLU)
    assert isinstance(algo.student.backbone.layer1[1], ConvBNReLU)
    # trainable: stem .. block i+1 (layer1.2), nothing after it
    assert _trainable(algo) == {
        'backbone.stem.0', 'backbone.layer1.0', 'backbone.layer1.1',
        'backbone.layer1.2'
    }
    # block i+1 was re-initialised: it no longer equals the teacher's
    assert not torch.equal(algo.student.backbone.layer1[2].conv1.weight,
                           algo.teacher.backbone.layer1[2].conv1.weight)
    # block i+2 is still the teacher's copy
    assert torch.equal(algo.student.backbone.layer2[0].conv1.weight,
                       algo.teacher.backbone.layer2[0].conv1.weight)
    # the loss is the MSE of block i+1's outputs; later blocks never run
    called = []
    algo.student.backbone.layer2.register_forward_hook(
        lambda *a: called.append(1))
    algo.train()
    losses = algo(torch.randn(2, 3, 32, 32), mode='loss')
    assert set(losses) == {'loss_recast'} and not called
    losses['loss_recast'].backward()
    assert algo.teacher.backbone.stem[0].weight.grad is None


def test_last_stage_matches_logits():
    algo = _algo()
    algo.begin_stage(8)
    assert algo.stage_steps(8)[0].next == 'head.fc'
    assert any(n.startswith('head.fc') for n in _trainable(algo))
    x = torch.randn(2, 3, 32, 32)
    algo.train()  # the student's BN uses batch statistics, as in the loss
    loss = algo(x, mode='loss')['loss_recast']
    with torch.no_grad():
        expected = torch.nn.functional.mse_loss(
            algo.student(x, mode='tensor'), algo.teacher(x, mode='tensor'))
    assert expected.item() > 0
    torch.testing.assert_close(loss.detach(), expected, rtol=1e-4, atol=0)


def test_options_freeze_prefix_and_keep_next():
    algo = _algo(freeze_prefix=True, keep_next_weights=True)
    algo.begin_stage(1)
    assert _trainable(algo) == {'backbone.layer1.1', 'backbone.layer1.2'}
    assert torch.equal(algo.student.backbone.layer1[2].conv1.weight,
                       algo.teacher.backbone.layer1[2].conv1.weight)


def test_parallel_mode_trains_all_targets_on_teacher_inputs():
    algo = _algo(mode='parallel')
    assert algo.num_stages == 1
    algo.begin_stage(0)
    assert all(
        isinstance(algo.student.get_submodule(s.block), ConvBNReLU)
        for s in algo.steps)
    assert 'backbone.stem.0' not in _trainable(algo)
    assert torch.equal(algo.student.head.fc.weight,
                       algo.teacher.head.fc.weight)  # kept
    algo.train()
    algo(torch.randn(2, 3, 32, 32), mode='loss')['loss_recast'].backward()
    for step in algo.steps:
        grad = algo.student.get_submodule(step.block)[0].weight.grad
        assert grad is not None and grad.abs().sum() > 0


def test_parallel_mode_rejects_width_changes():
    plan = dict(steps=[
        dict(blocks='backbone.layer*.*',
             recaster=dict(type='BasicBlockReduce', ratio=0.5))
    ])
    with pytest.raises(ValueError, match="mode='parallel' and 'chained'"):
        MODELS.build(
            dict(type='BlockRecast', teacher=TEACHER, plan=plan,
                 mode='parallel'))


def _chained_reference(algo, images):
    """The chained loss by hand: the student's blocks one after the other,
    each output against the teacher's, and the first target's term alone
    (where its gradient must come from)."""
    blocks = [s.block for s in algo.steps]
    with torch.no_grad():
        teacher = {}
        x = algo.teacher.backbone.stem(images)
        for block in blocks:
            x = teacher[block] = algo.teacher.get_submodule(block)(x)
    x = algo.student.backbone.stem(images)
    terms = []
    for block in blocks:
        x = algo.student.get_submodule(block)(x)
        terms.append(torch.nn.functional.mse_loss(x, teacher[block]))
    return sum(terms) / len(terms), terms[0] / len(terms)


def test_chained_mode_trains_each_target_on_the_students_input():
    algo = _algo(mode='chained')
    assert algo.num_stages == 1
    algo.begin_stage(0)
    algo.train()
    assert 'backbone.stem.0' not in _trainable(algo)
    images = torch.randn(4, 3, 32, 32)
    loss = algo(images, mode='loss')['loss_recast']
    total, first = _chained_reference(algo, images)
    # the student's own chain, not the teacher's inputs (parallel mode)
    torch.testing.assert_close(loss, total)
    loss.backward()
    target = algo.student.get_submodule(algo.steps[0].block)[0].weight
    got = target.grad.clone()
    target.grad = None
    first.backward()
    # inputs are cut: the first target learns from its own term alone
    torch.testing.assert_close(got, target.grad)
    algo.active_stage.remove()  # the cuts go with the stage
    target.grad = None
    algo.student(images, mode='tensor').sum().backward()
    assert target.grad is not None


def test_loading_a_state_dict_rebuilds_the_stage():
    trained = _algo()
    trained.begin_stage(3)
    state = trained.state_dict()
    fresh = _algo()
    fresh.load_state_dict(state)
    assert int(fresh.recast_stage) == 4
    assert isinstance(fresh.student.backbone.layer2[0], ConvBNReLU)
    for key, value in trained.state_dict().items():
        assert torch.equal(fresh.state_dict()[key], value), key


def test_predict_uses_the_whole_student():
    algo = _algo()
    algo.begin_stage(0)
    algo.eval()
    samples = [DataSample().set_gt_label(0)]
    out = algo(torch.randn(1, 3, 32, 32), samples, mode='predict')
    assert out[0].pred_score.shape == (10, )


def test_a_misspelt_mode_is_named_with_its_fix():
    with pytest.raises(ValueError, match=r"model.mode must be one of .*"
                       r"got 'chaind'; did you mean 'chained'\?"):
        _algo(mode='chaind')


REMOVAL_PLAN = dict(steps=[
    dict(block='backbone.layer1.1', recaster=dict(type='BlockToShortcut')),
    dict(blocks='backbone.layer*.*', recaster=dict(type='BasicBlockToConv')),
])


@pytest.mark.parametrize('mode', ['sequential', 'parallel', 'chained'])
def test_a_removed_block_needs_no_input_size(mode):
    # an identity has no widths to read: it passes its block's input width
    algo = _algo(mode=mode, plan=REMOVAL_PLAN)
    assert algo.probe is None
    algo.install(algo.num_stages)
    assert isinstance(algo.student.backbone.layer1[1], torch.nn.Identity)
    assert algo.student(torch.randn(2, 3, 32, 32),
                        mode='tensor').shape == (2, 10)


SPAN_PLAN = dict(steps=[
    dict(block='backbone.layer1.0', recaster=dict(type='BasicBlockToConv'),
         covers='backbone.layer1.1'),
    dict(block='backbone.layer1.1', recaster=dict(type='BlockToShortcut')),
    dict(blocks='backbone.layer*.*', recaster=dict(type='BasicBlockToConv')),
])


@pytest.mark.parametrize('mode', ['parallel', 'chained'])
def test_a_span_learns_the_output_of_the_block_it_covers(mode):
    algo = _algo(mode=mode, plan=SPAN_PLAN, seed=3, input_size=(3, 32, 32))
    algo.begin_stage(0)
    algo.train()
    images = torch.randn(4, 3, 32, 32)
    loss = algo(images, mode='loss')['loss_recast']
    with torch.no_grad():
        x = algo.teacher.backbone.stem(images)
        inputs, outputs = {}, {}
        for step in algo.steps:
            inputs[step.block] = x
            x = outputs[step.block] = algo.teacher.get_submodule(
                step.block)(x)
        terms = {}
        student_in = algo.student.backbone.stem(images)
        for step in algo.steps:
            fed = inputs[step.block] if mode == 'parallel' else student_in
            out = algo.student.get_submodule(step.block)(fed)
            student_in = out
            terms[step.block] = torch.nn.functional.mse_loss(
                out, outputs[step.covers or step.block])
    assert [s.covers for s in algo.steps][:2] == ['backbone.layer1.1', None]
    torch.testing.assert_close(loss.detach(),
                               sum(terms.values()) / len(terms))
    # not the block's own output: the covered one, one teacher block on
    span = algo.student.backbone.layer1[0]
    own = torch.nn.functional.mse_loss(
        span(inputs['backbone.layer1.0']), outputs['backbone.layer1.0'])
    assert not torch.isclose(own, terms['backbone.layer1.0'])


@pytest.mark.parametrize('steps, mode, match', [
    ([dict(block='backbone.layer1.0', covers='backbone.layer1.2',
           recaster=dict(type='BasicBlockToConv'))],
     'parallel', "write covers='backbone.layer1.1'"),
    ([dict(block='backbone.layer1.0', covers='backbone.layer1.1',
           recaster=dict(type='BasicBlockToConv'))],
     'parallel', 'the plan must remove backbone.layer1.1 too'),
    ([dict(block='backbone.layer1.2', covers='backbone.layer2.0',
           recaster=dict(type='BasicBlockToConv')),
      dict(block='backbone.layer2.0', recaster=dict(type='BlockToShortcut'))],
     'parallel', 'removed as an identity'),
    ([dict(block='backbone.layer1.0', covers='backbone.layer1.1',
           recaster=dict(type='BasicBlockToConv')),
      dict(block='backbone.layer1.1', recaster=dict(type='BasicBlockToConv'))],
     'chained', 'removed as an identity'),
    (SPAN_PLAN['steps'], 'sequential', "use mode='parallel' or 'chained'"),
    ([dict(block='backbone.layer1.0', cover='backbone.layer1.1',
           recaster=dict(type='BasicBlockToConv'))],
     'parallel', r'plan.steps\[0\].cover: not a field of a step'),
    ([dict(blocks='backbone.layer1.*', covers='backbone.layer1.1',
           recaster=dict(type='BasicBlockToConv'))],
     'parallel', r"plan.steps\[0\].covers: a span is one block; name it "
     r"with block=PATH, not the pattern 'backbone.layer1.\*'"),
])
def test_a_span_step_is_refused_in_one_line_unless_it_can_train(
        steps, mode, match):
    with pytest.raises(ValueError, match=match):
        MODELS.build(dict(type='BlockRecast', teacher=TEACHER,
                          plan=dict(steps=steps), mode=mode,
                          input_size=(3, 32, 32)))


def test_token_mlps_learn_the_transformer_layers_they_replace():
    """Teacher-fed on a ViT: the MLPs start as the layers removed (the
    removal's MSE) and learn their outputs."""
    layers = [f'{VIT_LAYERS}.encoder_layer_{i}' for i in (1, 2)]
    algo = MODELS.build(dict(
        type='BlockRecast', teacher=VIT, mode='parallel',
        input_size=(3, 32, 32),
        plan=dict(sequence=[f'{VIT_LAYERS}.*', 'backbone.module.heads'],
                  steps=[dict(blocks=layers,
                              recaster=dict(type='BlockToTokenMLP'))])))
    algo.init_weights()
    algo.begin_stage(0)
    algo.train()
    assert _trainable(algo) == {'backbone.module.encoder'}
    images = torch.randn(8, 3, 32, 32,
                         generator=torch.Generator().manual_seed(0))
    removal = algo.active_stage.loss(images).item()
    optimizer = torch.optim.Adam(
        [p for p in algo.parameters() if p.requires_grad], lr=1e-2)
    for _ in range(30):
        optimizer.zero_grad()
        loss = algo(images, mode='loss')['loss_recast']
        loss.backward()
        optimizer.step()
    assert loss.item() < 0.5 * removal
