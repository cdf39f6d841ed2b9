# Copyright (c) mmrecast contributors. All rights reserved.
"""RecastLoop and its hooks in a real Runner on real CIFAR-10 images: stages,
checkpoints, progress, crash and resume, hand-over to the fine-tune stage,
export. One run goes through tools/train.py and is killed for real."""
import copy
import os.path as osp
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmrecast.apis import export_student
from mmrecast.engine.hooks import DeadlineHook, deadline_hook
from mmrecast.utils import load_checkpoint_file
from mmrecast.utils.errors import ConfigError
from mmrecast.utils.precision import tf32_mode
from tests.data.kill_hook import Crash
from tests.helpers import REPO, config_path, run_tool, top1_in_process

RECAST = config_path(
    'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
    'cifar10-folder_recast.py')
FINETUNE = RECAST.replace('_recast.py', '_finetune.py')
PARALLEL = RECAST.replace('_recast.py', '_recast-parallel.py')


@pytest.fixture(scope='module')
def teacher(resnet20_akamaster):
    return resnet20_akamaster


def _config(data_root, teacher, source=RECAST, **hooks) -> Config:
    """The recast config on tiny data: 3 stages (layer1) x 2 iterations."""
    cfg = Config.fromfile(source)
    cfg.model.teacher_checkpoint = str(teacher)
    cfg.model.plan.steps[0].blocks = 'backbone.layer1.*'
    if source == RECAST:
        cfg.train_cfg.iters_per_stage = 2
    for split in ('train', 'val'):
        loader = cfg[f'{split}_dataloader']
        loader.dataset.data_root = str(data_root)
        loader.batch_size = 8
        loader.num_workers = 0
        loader.persistent_workers = False
    cfg.test_dataloader = cfg.val_dataloader
    cfg.default_hooks.checkpoint.interval = 1
    cfg.default_hooks.checkpoint.max_keep_ckpts = -1
    cfg.default_hooks.logger.interval = 1
    cfg.randomness = dict(seed=0, deterministic=False)
    for name, iteration in hooks.items():  # beside the config's hooks
        cfg.custom_imports = dict(imports=['tests.data.kill_hook'])
        cfg.custom_hooks = [*cfg.custom_hooks,
                            dict(type=name, iteration=iteration)]
    return cfg


def _train(cfg: Config, work_dir, resume: bool = False) -> Runner:
    cfg = copy.deepcopy(cfg)
    cfg.work_dir = str(work_dir)
    cfg.resume = resume
    # one logger and visualizer per run, also within the same second
    cfg.experiment_name = f'{osp.basename(str(work_dir))}_{resume}'
    runner = Runner.from_cfg(cfg)
    runner.train()
    return runner


def tf32_flags() -> tuple:
    return (torch.backends.cuda.matmul.allow_tf32,
            torch.backends.cudnn.allow_tf32)


@pytest.fixture(scope='module')
def recast_runner(tmp_path_factory, cifar10_tiny, teacher) -> Runner:
    """One recast run (3 stages of 2 iterations), its runner."""
    work_dir = tmp_path_factory.mktemp('recast')
    cfg = _config(cifar10_tiny, teacher)
    cfg.custom_imports = dict(imports=['tests.data.kill_hook'])
    cfg.custom_hooks = [*cfg.custom_hooks, dict(type='Tf32Probe')]
    from tests.data.kill_hook import Tf32Probe

    # a worker that runs this module's tests in two runs of them builds
    # this fixture twice: the probe's list is of this run alone
    Tf32Probe.seen.clear()
    # a user who allows TF32 keeps it outside the recast loop
    with tf32_mode(True):
        runner = _train(cfg, work_dir)
        runner.tf32_after = tf32_flags()
    runner.tf32_seen = list(Tf32Probe.seen)
    return runner


@pytest.fixture(scope='module')
def recast_run(recast_runner):
    """The work dir of that run."""
    return Path(recast_runner.work_dir)


def _log(work_dir) -> str:
    """The log of the work dir's latest run."""
    return sorted(work_dir.glob('*/*.log'))[-1].read_text()


def test_stages_checkpoints_and_progress(recast_run):
    work_dir = recast_run
    log = _log(work_dir)
    assert re.findall(r'Recast stage (\d)/3', log) == ['1', '2', '3']
    # the plan was checked before the first iteration, once
    assert log.count('plan check passed') == 1
    assert log.index('plan check passed') < log.index('Recast stage 1/3')
    assert '| 3 | backbone.layer1.2 | BasicBlock -> ConvBNReLU |' in log
    assert log.count('accuracy/top1') == 3  # after every stage
    for stage in (1, 2, 3):
        state = load_checkpoint_file(work_dir / f'stage_{stage}.pth')
        assert int(state['state_dict']['recast_stage']) == stage
        assert state['meta']['iter'] == 2 * stage
        # the stage file is the checkpoint of the stage's last iteration
        iteration = load_checkpoint_file(work_dir / f'iter_{2 * stage}.pth')
        assert state['state_dict'].keys() == iteration['state_dict'].keys()
    latest = (work_dir / 'last_checkpoint').read_text().strip()
    assert osp.basename(latest) == 'iter_6.pth'
    # progress a person can follow: per-stage scalars and the chart
    assert (work_dir / 'recast_progress.png').stat().st_size > 1000
    lines = next(work_dir.glob('*/vis_data/scalars.json')).read_text()
    per_stage = [line for line in lines.splitlines() if 'recast/mse' in line]
    assert len(per_stage) == 3 and all('recast/top1' in line
                                       for line in per_stage)
    assert [int(re.search(r'"step": (\d+)', line).group(1))
            for line in per_stage] == [1, 2, 3]


def test_recast_stages_train_without_tf32(recast_runner):
    # a recast step regresses activations: full fp32 on the GPU's matmuls
    assert recast_runner.tf32_seen == [(False, False)] * 6
    assert recast_runner.tf32_after == (True, True)  # the user's setting


def test_logged_loss_averages_only_the_current_stage(recast_runner):
    # a window reaching into the last stage mixes two loss scales: a
    # falling loss would be logged as a rising one
    for key in ('train/loss', 'train/loss_recast'):
        history, _ = recast_runner.message_hub.get_scalar(key).data
        assert len(history) == 2, key  # stage 3's two iterations
    assert len(recast_runner.message_hub.get_scalar('train/lr').data[0]) == 6


def test_crashed_and_resumed_run_ends_with_the_same_weights(
        recast_run, tmp_path, cifar10_tiny, teacher):
    broken = tmp_path / 'broken'
    # crashes mid-stage 2 (iteration 3 of 6), right after its checkpoint
    with pytest.raises(Crash):
        _train(_config(cifar10_tiny, teacher, RaiseAtIteration=3), broken)
    assert not (broken / 'iter_4.pth').exists()
    resumed = _train(_config(cifar10_tiny, teacher), broken, resume=True)
    assert 'resumed at iteration 3' in _log(broken)
    assert resumed.iter == 6
    a = load_checkpoint_file(recast_run / 'iter_6.pth')['state_dict']
    b = load_checkpoint_file(broken / 'iter_6.pth')['state_dict']
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key


def test_a_one_stage_recast_ends_by_its_deadline(tmp_path, cifar10_tiny,
                                                 teacher, monkeypatch):
    """The parallel mode recasts every block in one stage, which a deadline
    can end: its last iteration is validated, saved as the stage's
    checkpoint and linked as the last one, where a fine-tune's
    ``init_from`` finds it (``test_finetune_export_evaluate``)."""
    clock = SimpleNamespace(now=1000.0)
    monkeypatch.setattr(deadline_hook, 'time',
                        SimpleNamespace(time=lambda: clock.now))

    class Second(Hook):  # every iteration takes one second

        def after_train_iter(self, runner, batch_idx, data_batch=None,
                             outputs=None):
            clock.now += 1.0

    cfg = _config(cifar10_tiny, teacher, source=PARALLEL)
    cfg.train_cfg.iters_per_stage = 12
    cfg.default_hooks.checkpoint.interval = 100  # only where the run ends
    cfg.work_dir = str(tmp_path)
    runner = Runner.from_cfg(cfg)
    runner.register_hook(Second(), 'HIGHEST')
    # 2 iterations timed by the first projection, 4 more fit
    runner.register_hook(DeadlineHook(clock.now + 6.5, interval=2), 'LOW')
    runner.train()
    assert runner.iter == 6
    log = _log(tmp_path)
    assert log.count('accuracy/top1') == 1
    assert 'DeadlineHook: validating at iteration 6' in log
    assert (tmp_path / 'last_checkpoint').read_text().strip().endswith(
        'iter_6.pth')
    stage = load_checkpoint_file(tmp_path / 'stage_1.pth')
    assert stage['meta']['iter'] == 6
    assert int(stage['state_dict']['recast_stage']) == 1
    assert (tmp_path / 'recast_progress.png').is_file()


@pytest.mark.parametrize('mode', ['parallel', 'chained'])
def test_a_stage_of_removals_alone_measures_its_loss(tmp_path, cifar10_tiny,
                                                     teacher, mode):
    """Blocks removed as identities have no parameters: the stage's loss
    has no gradient, and backward was a RuntimeError traceback. Such a
    stage logs its loss (what the removals cost), trains nothing, and saves
    its checkpoint for the fine-tune."""
    cfg = _config(cifar10_tiny, teacher, source=PARALLEL)
    cfg.model.mode = mode
    cfg.model.plan.steps = [dict(blocks=['backbone.layer1.1',
                                         'backbone.layer2.2'],
                                 recaster=dict(type='BlockToShortcut'))]
    cfg.train_cfg.iters_per_stage = 2
    runner = _train(cfg, tmp_path)
    log = _log(tmp_path)
    assert 'Recast stage 1 has nothing to train' in log
    losses = [float(x) for x in re.findall(r'loss_recast: ([\d.]+)', log)]
    assert len(losses) == 2 and all(loss > 0 for loss in losses)
    # (weights: the chained student's BN statistics follow its batches)
    student = dict(runner.model.student.named_parameters())
    kept = {k: v for k, v in runner.model.teacher.named_parameters()
            if k in student}
    assert len(kept) == len(student)  # two blocks fewer, none new
    assert all(torch.equal(student[k], v) for k, v in kept.items())
    stage = load_checkpoint_file(tmp_path / 'stage_1.pth')
    assert int(stage['state_dict']['recast_stage']) == 1


def test_a_recast_of_several_stages_refuses_a_deadline(recast_runner):
    # every stage gets the iterations its loop was built with
    with pytest.raises(ConfigError, match='RecastLoop of 3 stages'):
        DeadlineHook(0.0).before_train(recast_runner)


@pytest.mark.slow
def test_killed_train_tool_resumes_bit_identical(recast_run, tmp_path,
                                                 cifar10_tiny, teacher):
    """The same through tools/train.py, killed by os._exit mid-stage."""
    config = tmp_path / 'recast_kill.py'
    _config(cifar10_tiny, teacher, KillAtIteration=3).dump(str(config))
    plain = tmp_path / 'recast.py'
    _config(cifar10_tiny, teacher).dump(str(plain))
    work_dir = tmp_path / 'killed'
    env = dict(PYTHONPATH=str(REPO))
    proc = run_tool(['train.py', config, '--work-dir', work_dir],
                    cwd=tmp_path, env=env)
    assert proc.returncode == 3, proc.stdout[-3000:]
    proc = run_tool(['train.py', plain, '--work-dir', work_dir, '--resume'],
                    cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert 'resumed epoch: 0, iter: 3' in proc.stdout
    a = load_checkpoint_file(recast_run / 'iter_6.pth')['state_dict']
    b = load_checkpoint_file(work_dir / 'iter_6.pth')['state_dict']
    for key in a:
        assert torch.equal(a[key], b[key]), key


def test_finetune_export_evaluate(recast_run, tmp_path, cifar10_tiny,
                                  teacher):
    """The fine-tune stage takes the recast student over, and the exported
    student evaluates with no teacher around."""
    cfg = _config(cifar10_tiny, teacher, source=FINETUNE)
    cfg.model.init_from[0].checkpoint = str(recast_run)
    cfg.train_cfg.max_iters = 2
    cfg.train_cfg.val_interval = 2
    work_dir = tmp_path / 'finetune'
    runner = _train(cfg, work_dir)
    # the hand-over loaded the recast student (layer1 is plain convs now)
    recast = load_checkpoint_file(recast_run / 'iter_6.pth')['state_dict']
    assert 'student.backbone.layer1.0.0.weight' in recast
    assert 'loss_logits' in _log(work_dir) and 'loss_cls' in _log(work_dir)
    tuned = runner.model.student.state_dict()
    assert tuned.keys() == {k[len('student.'):] for k in recast
                            if k.startswith('student.')}

    config, weights = export_student(cfg, str(work_dir / 'iter_2.pth'),
                                     str(tmp_path / 'export'))
    exported = Config.fromfile(config)
    assert exported.model.type == 'mmrecast.RecastedClassifier'
    state = load_checkpoint_file(weights)['state_dict']
    for key, value in tuned.items():
        assert torch.equal(state[key], value), key
    test_cfg = copy.deepcopy(exported)
    test_cfg.work_dir = str(tmp_path / 'test')
    test_cfg.load_from = weights
    test_cfg.experiment_name = 'export_test'
    metrics = Runner.from_cfg(test_cfg).test()
    assert metrics['accuracy/top1'] == pytest.approx(
        top1_in_process(config, weights, cifar10_tiny), abs=1e-3)
