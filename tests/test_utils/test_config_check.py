# Copyright (c) mmrecast contributors. All rights reserved.
import re

import pytest
import torch
from mmengine.config import Config

from mmrecast.utils.config_check import (check_config, check_input_files,
                                         check_optim_wrapper, check_run_config,
                                         unused_variables, warn_epoch_log)
from mmrecast.utils.errors import CheckpointFileError, ConfigError
from tests.helpers import config_path

BASE = config_path('classification', 'resnet18-w16_1xb128_cifar10-folder.py')


def _config(tmp_path, body: str) -> Config:
    path = tmp_path / 'run.py'
    path.write_text(f'_base_ = [{BASE!r}]\n' + body)
    return Config.fromfile(str(path))


def test_misspelt_field_is_an_error(tmp_path):
    cfg = _config(tmp_path, 'trian_dataloader = dict(batch_size=2)\n')
    with pytest.raises(ConfigError, match='did you mean `train_dataloader`'):
        check_config(cfg)


def test_a_search_setting_no_tool_reads_is_named(tmp_path):
    # the shipped library: its search_cfg passes
    library = Config.fromfile(config_path(
        'recast_search', 'recast-search_resnet20-akamaster_1xb64_cifar10-'
        'folder_library.py'))
    check_config(library)
    # a typo'd row_limits was a search without its limits
    library.search_cfg.row_limit = []
    with pytest.raises(ConfigError, match=re.escape(
            'search_cfg.row_limit: not a search setting; did you mean '
            '`row_limits`?')):
        check_config(library)
    # a setting the search would refuse, before the library trains
    del library.search_cfg.row_limit
    library.search_cfg.runtime = 'ort'
    with pytest.raises(ConfigError, match=r"^search_cfg.runtime='ort': "
                       'give one of torch, onnxruntime'):
        check_config(library)
    library.search_cfg = 'recast.py'
    with pytest.raises(ConfigError, match=r"^search_cfg='recast.py': give "
                       r'a dict\(recast_config=...'):
        check_config(library)


def test_config_variables_are_accepted(tmp_path):
    """Top-level variables are how mmengine configs share values; one that
    is not close to a field name is not an error."""
    check_config(_config(tmp_path, "data_root = 'data/elsewhere'\n"))


def test_variable_that_nothing_reads_is_named_with_its_line(tmp_path, capsys):
    # the base's dataloader was built before this line: it does nothing
    cfg = _config(
        tmp_path, "data_root = 'data/cifar'\n"
        'train_dataloader = dict(dataset=dict(data_root=data_root))\n'
        "train_pipeline = [dict(type='PackInputs')]\n")
    check_config(cfg)
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f'warning: {tmp_path}/run.py:4: train_pipeline is not a '
                   'config field and nothing in the file reads it (its '
                   '_base_ files cannot); a misspelt field?']


def test_every_shipped_config_reads_its_variables():
    from tests.helpers import leaf_configs
    assert {c: unused_variables(config_path(c))
            for c in leaf_configs()
            if unused_variables(config_path(c))} == {}


def test_a_flattened_dump_is_not_checked(tmp_path):
    cfg = _config(tmp_path, "data_root = 'data/cifar'\n")
    cfg.dump(str(tmp_path / 'dump.py'))
    assert unused_variables(str(tmp_path / 'run.py')) == [('data_root', 2)]
    assert unused_variables(str(tmp_path / 'dump.py')) == []


@pytest.mark.parametrize('path, value', [
    ('train_cfg.max_iters', 0), ('train_dataloader.batch_size', -1),
    ('train_cfg.max_iters', 2.5)])
def test_counts_must_be_positive_integers(tmp_path, path, value):
    cfg = _config(tmp_path, '')
    cfg.merge_from_dict({path: value})
    with pytest.raises(ConfigError, match='positive integer'):
        check_config(cfg)


@pytest.mark.parametrize('value', [0, -2, 1.5])
def test_a_checkpoint_interval_that_would_save_none_is_refused(
        tmp_path, value):
    # mmengine saves no checkpoint before the last at any interval below 1;
    # -1 says so on purpose, 0 most likely by mistake
    cfg = _config(tmp_path, '')
    cfg.merge_from_dict({'default_hooks.checkpoint.interval': value})
    with pytest.raises(ConfigError, match=re.escape(
            f'default_hooks.checkpoint.interval={value!r}: give the '
            'iterations (or epochs) between checkpoints, a positive integer, '
            'or -1 for the last one only (a crash then loses the run)')):
        check_config(cfg)
    for fine in (-1, 500):
        cfg.merge_from_dict({'default_hooks.checkpoint.interval': fine})
        check_config(cfg)


@pytest.mark.parametrize('train_cfg', [
    "dict(_delete_=True, by_epoch=False, max_iters=100)",
    "dict(_delete_=True, type='IterBasedTrainLoop', max_iters=100)",
    "dict(_delete_=True, type='mmrecast.RecastLoop', iters_per_stage=9)"])
def test_checkpoints_counted_in_epochs_of_an_iteration_loop_are_refused(
        tmp_path, train_cfg):
    # the loop runs no epoch end before the last: one checkpoint, at the end
    cfg = _config(tmp_path, f'train_cfg = {train_cfg}\n'
                  'default_hooks = dict(checkpoint=dict(by_epoch=True))\n')
    says = ('{} and the train loop counts iterations: it would save only '
            'when training ends, and a crash would lose the run; set '
            'default_hooks.checkpoint.by_epoch=False (its interval then '
            'counts iterations)')
    with pytest.raises(ConfigError, match=re.escape(
            says.format('default_hooks.checkpoint.by_epoch=True'))):
        check_config(cfg)
    # not written: the message says whose setting it is
    del cfg.default_hooks.checkpoint['by_epoch']
    with pytest.raises(ConfigError, match=re.escape(says.format(
            "default_hooks.checkpoint.by_epoch=True (mmengine's default)"))):
        check_config(cfg)
    for hook in (dict(by_epoch=False), dict(interval=-1)):
        cfg.merge_from_dict({'default_hooks.checkpoint': hook})
        check_config(cfg)
    # an epoch loop saves at its epoch ends
    cfg.merge_from_dict({'default_hooks.checkpoint': dict(
        by_epoch=True, interval=1), 'train_cfg': dict(
            _delete_=True, by_epoch=True, max_epochs=2)})
    check_config(cfg)


def test_a_scheduler_counted_in_epochs_of_an_iteration_loop_is_refused(
        tmp_path):
    # the learning rate stayed where it started, without a word
    cfg = _config(tmp_path, (
        'train_cfg = dict(_delete_=True, by_epoch=False, max_iters=100)\n'
        'default_hooks = dict(checkpoint=dict(by_epoch=False))\n'
        'param_scheduler = [dict(type="LinearLR", by_epoch=False, end=10),'
        ' dict(type="CosineAnnealingLR", T_max=90)]\n'))
    with pytest.raises(ConfigError, match=re.escape(
            "param_scheduler.1.by_epoch=True (mmengine's default) and the "
            'train loop counts iterations: its CosineAnnealingLR would step '
            'only when training ends, so the learning rate (or momentum) it '
            'sets would never change; set param_scheduler.1.by_epoch=False '
            '(its lengths then count iterations), or '
            'convert_to_iter_based=True to give them in epochs')):
        check_config(cfg)
    for fix in (dict(by_epoch=False),
                dict(by_epoch=True, convert_to_iter_based=True)):
        cfg.param_scheduler[1].update(fix)
        check_config(cfg)
    # written out, it is named as written
    cfg.param_scheduler[1].update(by_epoch=True, convert_to_iter_based=False)
    with pytest.raises(ConfigError, match=re.escape(
            'param_scheduler.1.by_epoch=True and the train loop')):
        check_config(cfg)
    # an epoch loop steps it at its epoch ends
    cfg.merge_from_dict({'train_cfg': dict(_delete_=True, by_epoch=True,
                                           max_epochs=2)})
    check_config(cfg)


@pytest.mark.parametrize('processor, setting', [
    ('None', "log_processor.by_epoch=True (mmengine's default)"),
    ('dict(_delete_=True, window_size=10)',
     "log_processor.by_epoch=True (mmengine's default)"),
    ('dict(by_epoch=True)', 'log_processor.by_epoch=True')])
def test_a_log_counted_in_epochs_of_an_iteration_loop_is_warned_of(
        tmp_path, capsys, processor, setting):
    # the log read 'Epoch(train) [1][7000/6250]': each iteration a batch of
    # epoch 1, past its end too
    cfg = _config(tmp_path, (
        'train_cfg = dict(_delete_=True, by_epoch=False, max_iters=100)\n'
        f'log_processor = {processor}\n'))
    warn_epoch_log(cfg)
    assert capsys.readouterr().err == (
        f'warning: {setting} and the train loop counts iterations: the log '
        'would show each iteration as a batch of epoch 1; set '
        'log_processor.by_epoch=False\n')
    for train, log in ((cfg.train_cfg, dict(by_epoch=False)),
                       (dict(by_epoch=True, max_epochs=2), None)):
        cfg.train_cfg, cfg.log_processor = train, log
        warn_epoch_log(cfg)
        assert capsys.readouterr().err == ''


@pytest.mark.parametrize('key, value, says', [
    # mmengine resumed on the string (a misspelt True, or 'no')
    ('resume', 'Ture', "resume='Ture': give True (resume from load_from, "
     "else from the work dir's latest checkpoint) or False"),
    # these were TypeError tracebacks once the Runner was built
    ('work_dir', 123, 'work_dir=123: give a path, the folder the run '
     'writes to'),
    ('load_from', 5, 'load_from=5: give a path, the checkpoint the run '
     'starts from'),
    # this was refused as a job its launcher did not start
    ('launcher', 'pytroch', "launcher='pytroch': give one of none, "
     'pytorch, slurm, mpi'),
    # a TypeError from numpy when the Runner set the seed
    ('randomness', dict(seed='abc'), "randomness.seed='abc': give a whole "
     'number, or None for a random one')])
def test_a_run_setting_of_the_wrong_kind_is_named(tmp_path, key, value,
                                                  says):
    cfg = _config(tmp_path, '')
    cfg[key] = value
    with pytest.raises(ConfigError, match=f'^{re.escape(says)}$'):
        check_config(cfg)
    for fine in {'resume': (True, False, None), 'launcher': ('pytorch', ),
                 'randomness': (dict(seed=0), dict(seed=None))
                 }.get(key, ('work_dirs/x', None)):
        cfg[key] = fine
        check_config(cfg)


@pytest.mark.parametrize('field, value, says', [
    ('val_evaluator', dict(type='Accuracy', topk=(1, 0)),
     'val_evaluator.topk=(1, 0)'),
    ('test_evaluator', [dict(type='mmpretrain.Accuracy', topk=-5)],
     'test_evaluator.0.topk=-5'),
])
def test_an_accuracy_of_no_top_k_is_refused(tmp_path, field, value, says):
    # mmpretrain would report it as 0 % at every evaluation
    cfg = _config(tmp_path, '')
    cfg[field] = value
    with pytest.raises(ConfigError, match=re.escape(
            f'{says}: give whole numbers of at least 1, e.g. topk=(1, 5)')):
        check_config(cfg)
    cfg[field] = dict(type='Accuracy', topk=(1, 5))
    check_config(cfg)


@pytest.mark.parametrize('value', [-1, 1.5, '2'])
def test_loader_workers_must_be_a_count(tmp_path, value):
    cfg = _config(tmp_path, '')
    cfg.merge_from_dict({'val_dataloader.num_workers': value})
    with pytest.raises(ConfigError, match=f'^val_dataloader.num_workers='
                       f'{value!r}: .* integer >= 0'):
        check_config(cfg)
    cfg.merge_from_dict({'val_dataloader.num_workers': 0})
    check_config(cfg)


@pytest.mark.parametrize('path', ['data_preprocessor',
                                  'model.data_preprocessor'])
@pytest.mark.parametrize('mean, std', [([1, 2], [1, 2, 3]), ([1, 2, 3], None),
                                       (0.5, [1])])
def test_a_mean_and_std_that_do_not_pair_are_named(tmp_path, path, mean,
                                                   std):
    cfg = _config(tmp_path, '')
    cfg.merge_from_dict({path: dict(mean=[1, 2, 3], std=[4, 5, 6])})
    check_config(cfg)
    cfg.merge_from_dict({f'{path}.mean': mean, f'{path}.std': std})
    with pytest.raises(ConfigError, match=f'^{path}: mean=.*; give both, '
                       'one number per input channel'):
        check_config(cfg)


@pytest.mark.parametrize('path', ['train_dataloader.sampler.shuffle',
                                  'val_dataloader.drop_last',
                                  'train_dataloader.persistent_workers'])
def test_a_loader_switch_given_as_a_string_is_named(tmp_path, path):
    """--cfg-options ...shuffle=no gives the string 'no', which Python
    takes as true: the loader shuffled without a word."""
    cfg = _config(tmp_path, '')
    cfg.merge_from_dict({path: 'no'})
    with pytest.raises(ConfigError, match=re.escape(
            f"{path}='no': give True or False (any string counts as True)")):
        check_config(cfg)
    cfg.merge_from_dict({path: False})
    check_config(cfg)


def test_a_loss_weight_given_as_a_string_is_named(tmp_path):
    """It failed at the first loss, in a TypeError traceback."""
    cfg = _config(tmp_path, '')
    cfg.merge_from_dict({'model.head.loss.loss_weight': 'abc'})
    with pytest.raises(ConfigError, match=re.escape(
            "model.head.loss.loss_weight='abc': must be a number")):
        check_config(cfg)
    cfg.merge_from_dict({'model.head.loss.loss_weight': 0.5})
    check_config(cfg)


def test_persistent_workers_without_workers_is_named(tmp_path):
    # the CIFAR-10 bases keep their training workers (and their images)
    cfg = _config(tmp_path, '')
    assert cfg.train_dataloader.persistent_workers is True
    check_config(cfg)
    cfg.merge_from_dict({'train_dataloader.num_workers': 0})
    with pytest.raises(ConfigError, match=r'^train_dataloader.persistent_'
                       r'workers=True .* also set train_dataloader.'
                       r'persistent_workers=False$'):
        check_config(cfg)
    cfg.merge_from_dict({'train_dataloader.persistent_workers': False})
    check_config(cfg)


RECAST20 = config_path(
    'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
    'cifar10-folder_finetune-parallel_bf16.py')


def test_an_endless_sampler_only_trains_by_iterations(tmp_path):
    # the ResNet-20 recipes train by iterations on InfiniteSampler
    cfg = Config.fromfile(RECAST20)
    assert cfg.train_dataloader.sampler.type == 'InfiniteSampler'
    check_config(cfg)
    by_epoch = Config.fromfile(RECAST20)
    by_epoch.train_cfg = dict(by_epoch=True, max_epochs=2)
    with pytest.raises(ConfigError, match=r'^train_dataloader.sampler: '
                       r'InfiniteSampler never ends an epoch, .* '
                       r'\(train_cfg.by_epoch=False\)$'):
        check_config(by_epoch)
    by_epoch.train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=2)
    with pytest.raises(ConfigError, match='never ends an epoch'):
        check_config(by_epoch)
    cfg.merge_from_dict({'val_dataloader.sampler.type': 'InfiniteSampler'})
    with pytest.raises(ConfigError, match=r'^val_dataloader.sampler: '
                       'InfiniteSampler never ends'):
        check_config(cfg)
    # the epoch-based bases keep DefaultSampler
    check_config(_config(tmp_path, ''))


@pytest.mark.parametrize('path, value, message', [
    ('train_dataloader.batch_sise', 4, 'train_dataloader.batch_sise: not an '
     'argument of DataLoader; did you mean `batch_size`?'),
    ('val_dataloader.num_worker', 1, 'did you mean `num_workers`?'),
    ('train_cfg.max_iter', 2, 'train_cfg.max_iter: not an argument of '
     'IterBasedTrainLoop; did you mean `max_iters`?'),
    ('train_cfg', dict(_delete_=True, by_epoch=True, max_epoch=2),
     'train_cfg.max_epoch: '
     'not an argument of EpochBasedTrainLoop; did you mean `max_epochs`?'),
    # an argument of the other train loop: say which by_epoch takes it
    ('train_cfg.max_epochs', 2, 'train_cfg.max_epochs: not an argument of '
     'IterBasedTrainLoop; `max_epochs` is an argument of EpochBasedTrainLoop'
     ', the loop of by_epoch=True; this one takes max_iters, val_begin'),
    ('train_cfg.max_epoch', 2, '`max_epochs` is an argument of '
     'EpochBasedTrainLoop, the loop of by_epoch=True'),
    ('train_cfg', dict(_delete_=True, by_epoch=True, max_iters=2),
     '`max_iters` is an argument of IterBasedTrainLoop, the loop of '
     'by_epoch=False; this one takes max_epochs'),
    ('test_cfg.fp61', True, 'test_cfg.fp61: not an argument of TestLoop'),
    # what the Runner builds or calls itself: each a TypeError traceback
    # inside it; env_cfg's unknown keys were ignored
    ('log_processor.window_sise', 5, 'log_processor.window_sise: not an '
     'argument of LogProcessor; did you mean `window_size`?'),
    ('visualizer.sav_dir', 'x', 'visualizer.sav_dir: not an argument of '),
    ('randomness.sed', 1, 'randomness.sed: not an argument of '
     'set_randomness; did you mean `seed`?'),
    ('env_cfg.cudnn_benchmrk', True, 'env_cfg.cudnn_benchmrk: not a setting '
     'the Runner reads (it ignores it); did you mean `cudnn_benchmark`?'),
    # a hook's key: CheckpointHook passes what it does not know to
    # Runner.save_checkpoint, which failed at the first checkpoint
    ('default_hooks.checkpoint.intervl', 5, 'default_hooks.checkpoint.'
     'intervl: not an argument of RecastCheckpointHook; did you mean '
     '`interval`?'),
    ('default_hooks.logger.intervall', 5, 'default_hooks.logger.intervall: '
     'not an argument of LoggerHook; did you mean `interval`?'),
    ('train_dataloader.colour', 1, 'it takes dataset, batch_size'),
    # the Runner binds the collate function's arguments: a wrong one would
    # fail in a loader worker at the first batch
    ('train_dataloader.collate_fn.pading', 2, 'train_dataloader.collate_fn.'
     'pading: not an argument of crop_flip_collate; did you mean `padding`?'),
    ('train_dataloader.collate_fn.type', 'crop_flip_colate', "collate_fn."
     "type='crop_flip_colate': not a registered function; did you mean "
     '`mmrecast.crop_flip_collate`?'),
    # the Runner looks it up in mmengine's registry: mmrecast's need their
    # scope's prefix
    ('train_dataloader.collate_fn.type', 'crop_flip_collate', 'did you mean '
     '`mmrecast.crop_flip_collate`?'),
    ('train_dataloader.collate_fn.type', 'default_collate', 'collate_fn.'
     'padding: not an argument of default_collate; it takes only the '
     'batch')])
def test_a_misspelt_argument_of_what_the_runner_builds_is_named(
        tmp_path, path, value, message):
    cfg = _config(tmp_path, '')
    cfg.merge_from_dict({path: value})
    with pytest.raises(ConfigError) as error:
        check_config(cfg)
    assert message in str(error.value)


def test_a_loop_of_a_named_type_is_refused_an_argument_it_lacks():
    """The Runner builds its loops after it made the work dir: a typed
    loop's wrong key once ended there."""
    cfg = Config.fromfile(config_path(
        'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
        'cifar10-folder_recast-parallel.py'))
    assert cfg.train_cfg.type == 'RecastLoop'
    check_config(cfg)
    cfg.merge_from_dict({'train_cfg.max_iters': 10})
    with pytest.raises(ConfigError, match=r'^train_cfg.max_iters: not an '
                       'argument of RecastLoop; it takes iters_per_stage, '
                       'epochs_per_stage, val_each_stage$'):
        check_config(cfg)
    cfg = Config.fromfile(RECAST20)
    cfg.merge_from_dict({'val_cfg': dict(type='ValLoop', fp61=True)})
    with pytest.raises(ConfigError, match=r'^val_cfg.fp61: not an argument '
                       'of ValLoop; did you mean `fp16`'):
        check_config(cfg)


def test_every_shipped_config_passes_the_checks():
    from tests.helpers import leaf_configs
    for name in leaf_configs():
        check_config(Config.fromfile(config_path(name)))


def test_missing_inputs_of_a_run_are_named(tmp_path):
    teacher = tmp_path / 'teacher.pth'
    teacher.write_bytes(b'')
    folder = tmp_path / 'images'
    folder.mkdir()
    body = ('model = dict(type="X", teacher_checkpoint={!r})\n'
            'train_dataloader = dict(dataset=dict(type="CustomDataset", '
            '_scope_="mmpretrain", data_root={!r}))\n')
    check_input_files(_config(tmp_path, body.format(str(teacher),
                                                    str(folder))))
    cfg = _config(tmp_path, body.format('teacher.pht', str(folder)))
    with pytest.raises(CheckpointFileError,
                       match=r'^model.teacher_checkpoint: teacher.pht: no '):
        check_input_files(cfg)
    cfg = _config(tmp_path, body.format(str(teacher), 'data/cifar11'))
    with pytest.raises(ConfigError, match=r'^train_dataloader.dataset.'
                       r"data_root='data/cifar11': no such folder"):
        check_input_files(cfg)
    cfg = _config(tmp_path, 'load_from = "work_dirs/none/iter_1.pth"\n')
    with pytest.raises(CheckpointFileError, match='^load_from: '):
        check_input_files(cfg)


def test_the_stages_a_run_starts_from_are_checked_unless_handed_over(
        tmp_path):
    cfg = _config(tmp_path, (
        'model = dict(type="X", init_from=[dict(module="student", '
        'checkpoint="work_dirs/recast", prefix="student.")])\n'))
    with pytest.raises(CheckpointFileError, match=r'^model.init_from.0.'
                       r'checkpoint: work_dirs/recast: no such checkpoint'):
        check_input_files(cfg)
    check_input_files(cfg, init_from=False)  # the stage before runs first


def test_nested_teachers_and_wrapped_data_sets_are_checked(tmp_path):
    cfg = _config(tmp_path, (
        'model = dict(type="X", architecture=dict(teacher_checkpoint="a"))\n'
        'train_dataloader = dict(dataset=dict(type="RepeatDataset", times=2,'
        ' dataset=dict(type="CustomDataset", _scope_="mmpretrain",'
        ' data_root="nowhere")))\n'))
    with pytest.raises(CheckpointFileError,
                       match='^model.architecture.teacher_checkpoint: a:'):
        check_input_files(cfg)
    cfg.model.architecture.teacher_checkpoint = 'http://host/teacher.pth'
    with pytest.raises(ConfigError, match=r'^train_dataloader.dataset.'
                       r"dataset.data_root='nowhere'"):
        check_input_files(cfg)


@pytest.mark.parametrize('teacher, extra, warned', [
    ('dict(type="ImageClassifier")', '', True),
    # nested: the field named is the nested one
    ('dict(type="ImageClassifier")', 'nest', True),
    ('dict(type="ImageClassifier")', 'teacher_checkpoint="{ckpt}"', False),
    ('dict(type="ImageClassifier", backbone=dict(type="ExternalBackbone", '
     'checkpoint="{ckpt}"))', '', False),
    ('dict(type="ImageClassifier", backbone=dict(init_cfg=dict('
     'type="Pretrained", checkpoint="{ckpt}")))', '', False),
    ('dict(type="ImageClassifier")',
     'init_from=[dict(module="teacher", checkpoint="{ckpt}")]', False),
])
def test_a_teacher_that_no_weights_reach_is_warned_of(tmp_path, capsys,
                                                      teacher, extra, warned):
    ckpt = tmp_path / 'teacher.pth'
    ckpt.write_bytes(b'')
    fields = f'type="X", teacher={teacher}' + (
        f', {extra}' if extra not in ('', 'nest') else '')
    model = f'dict(type="Wrap", inner=dict({fields}))' if extra == 'nest' \
        else f'dict({fields})'
    cfg = _config(tmp_path, f'model = {model}\n'.format(ckpt=ckpt))
    check_input_files(cfg)
    err = capsys.readouterr().err
    path = 'model.inner' if extra == 'nest' else 'model'
    assert err == (
        f'warning: {path}.teacher: no weights reach the teacher (no '
        f'{path}.teacher_checkpoint, and no checkpoint in its config): the '
        'student learns from a randomly initialised network; set '
        f'{path}.teacher_checkpoint to its trained weights\n' if warned
        else '')
    # a run that resumes, or loads a checkpoint, has the teacher from there
    cfg.resume = True
    check_input_files(cfg)
    assert capsys.readouterr().err == ''


def test_a_data_set_that_downloads_may_lack_its_folder(tmp_path):
    """mmpretrain's CIFAR10 downloads into a missing data_root."""
    cfg = _config(tmp_path, 'train_dataloader = dict(dataset=dict('
                  'type="CIFAR10", _scope_="mmpretrain", '
                  'data_root="data/not-yet"))\n')
    check_input_files(cfg)
    cfg.train_dataloader.dataset.download = False
    with pytest.raises(ConfigError, match='no such folder'):
        check_input_files(cfg)


@pytest.mark.parametrize('wrapper', [
    dict(type='AutocastOptimWrapper', dtype='bfloat61'),
    dict(type='mmrecast.AutocastOptimWrapper', dtype='float16'),
])
def test_an_autocast_dtype_other_than_bfloat16_is_named(wrapper):
    cfg = Config(dict(optim_wrapper=dict(wrapper, optimizer=dict(type='SGD'))))
    with pytest.raises(ConfigError, match=r'^optim_wrapper\.dtype: '
                       f"'{wrapper['dtype']}': AutocastOptimWrapper runs "
                       'bfloat16 only'):
        check_optim_wrapper(cfg)
    cfg.optim_wrapper.dtype = 'bfloat16'
    check_optim_wrapper(cfg)
    del cfg.optim_wrapper.dtype  # its default
    check_optim_wrapper(cfg)


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU path')
def test_amp_on_cpu_is_a_one_line_error():
    cfg = Config(dict(optim_wrapper=dict(type='AmpOptimWrapper')))
    with pytest.raises(ConfigError, match='^optim_wrapper.type=AmpOptimWrapper'
                       r' \(--amp\) needs a CUDA GPU') as info:
        check_optim_wrapper(cfg)
    assert '\n' not in str(info.value)


def test_a_clip_grad_key_torch_does_not_take_is_named():
    """mmengine calls torch's clipping function at the first step: a
    misspelt key was a traceback there."""
    cfg = Config(dict(optim_wrapper=dict(clip_grad=dict(max_norm=1.0))))
    check_optim_wrapper(cfg)
    cfg.optim_wrapper.clip_grad = dict(max_nrm=1.0)
    with pytest.raises(ConfigError, match=r'^optim_wrapper.clip_grad.'
                       r'max_nrm: not an argument of clip_grad_norm_; did '
                       'you mean `max_norm`'):
        check_optim_wrapper(cfg)
    cfg.optim_wrapper.clip_grad = dict(type='value', max_norm=1.0)
    with pytest.raises(ConfigError, match='max_norm: not an argument of '
                       'clip_grad_value_; it takes clip_value'):
        check_optim_wrapper(cfg)


@pytest.mark.parametrize('clip, bound', [
    (dict(max_norm=-1), 'max_norm=-1'), (dict(max_norm=0), 'max_norm=0'),
    (dict(type='value', clip_value=-0.5), 'clip_value=-0.5'),
    (dict(max_norm='1'), "max_norm='1'")])
def test_a_clip_grad_bound_that_is_no_positive_number_is_named(clip, bound):
    """torch clips to any bound: a negative one turned the gradients around
    (the run climbed its loss) without a word, zero removed them."""
    cfg = Config(dict(optim_wrapper=dict(clip_grad=clip)))
    with pytest.raises(ConfigError, match=re.escape(
            f'optim_wrapper.clip_grad.{bound}: must be a number > 0 (a '
            'negative one turns the gradients around)')):
        check_optim_wrapper(cfg)


@pytest.mark.parametrize('wrapper', [
    None, dict(optimizer=dict(type='SGD')),
    dict(type='OptimWrapper', dtype='anything'),  # not its argument
    dict(type='NoSuchWrapper')  # the registry names it when built
])
def test_other_optim_wrappers_are_left_to_their_builders(wrapper):
    check_optim_wrapper(Config(dict(optim_wrapper=wrapper)))


_WARMUP_THEN_COSINE = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, end=250),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=250, end=5000)
]


@pytest.mark.parametrize('schedulers, option, message', [
    (_WARMUP_THEN_COSINE, 'param_scheduler.0.endd', 'param_scheduler.0.endd: '
     'not an argument of LinearLR; did you mean `end`?'),
    (_WARMUP_THEN_COSINE, 'param_scheduler.1.eta_mn', 'param_scheduler.1.'
     'eta_mn: not an argument of CosineAnnealingLR; did you mean `eta_min`?'),
    # an LR scheduler names its parameter itself: torch would see it twice
    (_WARMUP_THEN_COSINE, 'param_scheduler.1.param_name', 'param_scheduler.'
     '1.param_name: not an argument of CosineAnnealingLR; it takes T_max, '
     'eta_min, begin, end, last_step, by_epoch, verbose, eta_min_ratio, '
     'convert_to_iter_based'),
    (dict(type='StepLR', step_size=667), 'param_scheduler.gama',
     'param_scheduler.gama: not an argument of StepLR; did you mean `gamma`?'),
    # what a list option makes of a single scheduler (recast_budget.py
    # gives --cfg-options to every stage, and recast stages have a dict)
    (dict(type='StepLR', step_size=667), 'param_scheduler.0.end',
     'param_scheduler.0: param_scheduler is one scheduler here (StepLR), '
     'not a list; set its fields as param_scheduler.<field>'),
])
def test_a_misspelt_scheduler_argument_is_named(schedulers, option, message):
    cfg = Config(dict(param_scheduler=schedulers))
    check_config(cfg)
    cfg.merge_from_dict({option: 5})
    with pytest.raises(ConfigError) as error:
        check_config(cfg)
    assert str(error.value) == message


@pytest.mark.parametrize('scheduler', [
    dict(type='CosineAnnealingLR', T_max=5, by_epoch=True,
         convert_to_iter_based=True),  # read by the scheduler builder
    dict(type='mmengine.MultiStepLR', milestones=[2], gamma=0.5),
    # a scheduler of any parameter is told which one
    dict(type='CosineAnnealingParamScheduler', param_name='weight_decay',
         T_max=5),
    dict(type='NoSuchScheduler', anything=1),  # its builder names it
])
def test_scheduler_arguments_that_their_builder_takes_pass(scheduler):
    check_config(Config(dict(param_scheduler=[scheduler])))


@pytest.mark.parametrize('kind, scope', [
    ('SGD', None), ('SGD', 'mmpretrain'), ('mmpretrain.Lamb', None),
    ('Lamb', 'mmpretrain')])
def test_an_optimizer_its_builder_finds_passes(kind, scope):
    optimizer = dict(type=kind, lr=0.01)
    check_optim_wrapper(Config(dict(optim_wrapper=dict(optimizer=optimizer),
                                    default_scope=scope)))


@pytest.mark.parametrize('kind, scope, hint', [
    ('Adamm', None, "did you mean 'Adam'?"),
    ('Lamb', 'mmrecast', "did you mean 'Adam'?|its scope"),
    ('NoSuchOptimizer', 'mmpretrain', 'check the spelling')])
def test_an_optimizer_that_is_not_registered_is_named(kind, scope, hint):
    cfg = Config(dict(optim_wrapper=dict(optimizer=dict(type=kind, lr=0.1)),
                      default_scope=scope))
    with pytest.raises(ConfigError, match=f'^optim_wrapper.optimizer.type='
                       f"'{kind}': not a registered optimizer; .*({hint})"):
        check_optim_wrapper(cfg)


@pytest.mark.parametrize('key, value', [('lr', -1), ('weight_decay', -5e-4),
                                        ('momentum', -0.9), ('lr', '1e-3')])
def test_a_negative_optimizer_value_is_named(key, value):
    optimizer = dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4)
    cfg = Config(dict(optim_wrapper=dict(optimizer=optimizer)))
    check_optim_wrapper(cfg)
    cfg.optim_wrapper.optimizer[key] = value
    with pytest.raises(ConfigError, match=f'^optim_wrapper.optimizer.{key}='
                       f'{value!r}: must be a number >= 0$'):
        check_optim_wrapper(cfg)
    cfg.optim_wrapper.optimizer[key] = 0
    check_optim_wrapper(cfg)


@pytest.mark.parametrize('body,line', [
    ('trian_dataloader = dict(batch_size=2)\n', '^trian_dataloader: '),
    ('optim_wrapper = dict(optimizer=dict(lr=-1))\n',
     '^optim_wrapper.optimizer.lr=-1: '),
    ('load_from = "work_dirs/none/iter_1.pth"\n', '^load_from: ')])
def test_a_run_config_gets_every_check(tmp_path, body, line):
    """What train.py and the budget tool check before a run: the fields,
    the optimizer and the input files."""
    with pytest.raises(ConfigError, match=line):
        check_run_config(_config(tmp_path, body))


def test_a_collate_function_hint_names_mmrecast_functions_before_import(
        tmp_path):
    # in a fresh process (as tools/train.py checks a config) mmrecast's
    # functions are registered only once their registry imports them
    import subprocess
    import sys
    code = ('from mmengine.config import Config\n'
            'from mmrecast.utils.config_check import check_config\n'
            f'cfg = Config.fromfile({BASE!r})\n'
            "cfg.merge_from_dict({'train_dataloader.collate_fn.type': "
            "'crop_flip_collate'})\n"
            'check_config(cfg)\n')
    done = subprocess.run([sys.executable, '-c', code], capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].endswith(
        'not a registered function; did you mean '
        '`mmrecast.crop_flip_collate`?')


@pytest.mark.parametrize('config, path, message', [
    # RecastFinetune takes **kwargs: its config_fields() tell
    (('recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
      'cifar10-folder_finetune-parallel_bf16_cached-teacher.py'),
     'model.cache_teacher_logit', 'model.cache_teacher_logit: not an '
     'argument of RecastFinetune; did you mean `cache_teacher_logits`?'),
    (('recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
      'cifar10-folder_finetune-parallel_bf16_cached-teacher.py'),
     'model.label_los', 'did you mean `label_loss`?'),
    (('kd', 'kd_logits_resnet56_resnet20_1xb128_cifar10_train.py'),
     'model.teacher_checkpont', 'model.teacher_checkpont: not an argument '
     'of SingleTeacherDistill; did you mean `teacher_checkpoint`?')])
def test_a_misspelt_model_field_is_named(config, path, message):
    cfg = Config.fromfile(config_path(*config))
    check_config(cfg)
    cfg.merge_from_dict({path: False})
    with pytest.raises(ConfigError) as error:
        check_config(cfg)
    assert message in str(error.value)


def test_the_recast_fine_tune_fields_are_all_accepted():
    """Every field the fine-tune takes is in its config_fields(): a recast
    config plus deltas must pass the check."""
    import inspect

    from mmrecast.models.algorithms import RecastFinetune, SingleTeacherDistill
    fields = RecastFinetune.config_fields()
    taken = set(inspect.signature(RecastFinetune).parameters) | set(
        inspect.signature(SingleTeacherDistill).parameters)
    assert taken - {'student', 'kwargs'} <= set(fields)
    assert {'mode', 'seed', 'freeze_prefix'} <= set(fields)
    assert 'student' not in fields


@pytest.mark.parametrize('collate', [
    dict(type='mmrecast.crop_flip_collate'),  # padding 4 by default
    dict(type='mmrecast.crop_flip_collate', padding=2),
    dict(type='default_collate'),
])
def test_a_logit_cache_over_changing_views_is_refused_before_the_run(
        collate):
    cached = config_path(
        'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
        'cifar10-folder_finetune-parallel_sgd-warmup_bf16_cached-teacher.py')
    cfg = Config.fromfile(cached)
    check_config(cfg)  # flips only: the same views every epoch
    cfg.train_dataloader.collate_fn = collate
    with pytest.raises(ConfigError, match=r'^model.cache_teacher_logits=True'
                       r'.*padding=0\) \(flips only\) or a few shifts='):
        check_config(cfg)
    cfg.model.cache_teacher_logits = False
    check_config(cfg)


def test_a_logit_cache_over_a_few_shifts_is_taken_and_bad_shifts_refused():
    cfg = Config.fromfile(config_path(
        'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
        'cifar10-folder_finetune-parallel_sgd-warmup_bf16_cached-teacher.py'))
    cfg.train_dataloader.collate_fn = dict(
        type='mmrecast.crop_flip_collate', padding=4,
        shifts=[(0, 0), (-4, 4)])
    check_config(cfg)
    cfg.train_dataloader.collate_fn.shifts = [(0, 0), (-5, 4)]
    with pytest.raises(ConfigError, match=r'^train_dataloader.collate_fn.'
                       r'shifts=.*within -4\.\.4'):
        check_config(cfg)


@pytest.mark.parametrize('mode, refused', [(None, True), ('sequential', True),
                                           ('parallel', False),
                                           ('chained', False)])
def test_a_deadline_on_a_sequential_recast_is_refused_before_the_run(
        mode, refused):
    cfg = Config.fromfile(config_path(
        'recasting', 'recast_backbone_resnet20-akamaster_convnet20_1xb64_'
        'cifar10-folder_recast.py'))
    cfg.model.pop('mode', None)
    if mode is not None:
        cfg.model.mode = mode
    check_config(cfg)
    cfg.custom_hooks = [*cfg.get('custom_hooks', []),
                        dict(type='mmrecast.DeadlineHook', deadline=1e10)]
    if refused:
        with pytest.raises(ConfigError, match=r"^DeadlineHook .*model.mode="
                           r"'sequential' recasts one block per stage"):
            check_config(cfg)
    else:
        check_config(cfg)


@pytest.mark.parametrize('config, field', [
    ('recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_'
     'cifar10-folder_recast-parallel_repvgg.py', 'model.plan.steps[0]'),
    ('recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_'
     'library-repvgg.py', 'model.candidates[0].recasters[0]'),
])
def test_a_misspelt_recaster_is_refused_before_the_run(config, field):
    cfg = Config.fromfile(config_path(config))
    check_config(cfg)
    parent = cfg.model.plan.steps[0] if 'plan' in field else \
        cfg.model.candidates[0]
    if 'plan' in field:
        parent.recaster.type = 'BasicBlockToRepVG'
        field += '.recaster'
    else:
        parent.recasters[0].type = 'BasicBlockToRepVG'
    with pytest.raises(ConfigError, match=rf"^{re.escape(field)}.type="
                       r"'BasicBlockToRepVG': not a registered recaster; "
                       r"did you mean 'BasicBlockToRepVGG'\?"):
        check_config(cfg)


@pytest.mark.parametrize('config, key, value', [
    ('recast_search/recast-search_resnet20-akamaster_1xb64_cifar10-folder_'
     'library-factorized.py', 'model.candidates.0.recasters.0',
     "dict(type='BasicBlockToConv')"),
    ('recasting/recast_backbone_resnet20-akamaster_convnet20_1xb64_cifar10-'
     'folder_recast-parallel.py', 'model.plan.steps.0.recaster',
     'BasicBlockToConv'),
])
def test_a_recaster_that_is_no_dict_is_refused_with_its_option(
        config, key, value):
    # a TypeError traceback from the registry once
    cfg = Config.fromfile(config_path(config))
    *parents, last = [int(k) if k.isdigit() else k for k in key.split('.')]
    parent = cfg
    for k in parents:
        parent = parent[k]
    parent[last] = value
    shown = re.sub(r'\.(\d+)', r'[\1]', key)  # as the config writes it
    with pytest.raises(ConfigError, match=rf"^{re.escape(shown)}=.*: a "
                       'recaster is a dict, e.g. .*; on the command line set '
                       rf'its fields one by one \({re.escape(key)}\.type='):
        check_config(cfg)
