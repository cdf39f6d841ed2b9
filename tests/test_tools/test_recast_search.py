# Copyright (c) mmrecast contributors. All rights reserved.
"""The plan search end to end: a candidate library trained by the Runner,
tools/recast_search.py on it, and the fine-tune config it writes, built
and initialised from the searched student."""
import json
import re
from unittest import mock

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mmrecast.apis import export_student
from mmrecast.registry import MODELS
from mmrecast.search import build_student, load_latency_table
from mmrecast.utils.complexity import count_params
from mmrecast.utils.weights import load_weights_into
from tests.helpers import (REPO, config_path, find_data, run_tool,
                           run_tool_in_process)

LIBRARY = config_path(
    'recast_search', 'recast-search_resnet20-akamaster_1xb64_cifar10-'
    'folder_library.py')


def _library_config(data_root, teacher, work_dir) -> Config:
    """The shipped library config on tiny data: 4 iterations, 8 of the 40
    training images held out."""
    cfg = Config.fromfile(LIBRARY)
    cfg.model.teacher_checkpoint = str(teacher)
    for loader in (cfg.train_dataloader, cfg.search_dataloader):
        loader.dataset.num_splits = 5
        loader.dataset.dataset.data_root = str(data_root)
        loader.batch_size = 8
        loader.num_workers = 0
        loader.persistent_workers = False
    cfg.train_cfg.max_iters = 4
    cfg.default_hooks.checkpoint.interval = 4
    cfg.work_dir = str(work_dir)
    return cfg


def _refusal(args) -> str:
    """The one-line error of ``recast_search.py ARGS``, run in this
    process (no start-up of its own: it stops before any work)."""
    code, out, err = run_tool_in_process('recast_search.py', args)
    assert code == 2, out[-3000:] + err[-3000:]
    return err.strip().splitlines()[-1]


@pytest.mark.slow
def test_search_writes_plans_the_fine_tune_starts_from(
        tmp_path, cifar10_tiny, resnet20_akamaster):
    cfg = _library_config(cifar10_tiny, resnet20_akamaster,
                          tmp_path / 'library')
    Runner.from_cfg(cfg).train()
    # search_cfg names the recast configs relative to the library config
    (tmp_path / 'configs').mkdir()
    for folder in ('recasting', '_base_'):
        (tmp_path / folder).symlink_to(REPO / 'configs' / folder)
    config = tmp_path / 'configs' / 'library.py'
    # the config's settings, not the defaults (batch 64 in torch, 20 s of
    # timing, no reranking, a report at batch 1)
    cfg.search_cfg.update(batch=8, timing_seconds=2, rerank=4, report_batch=2)
    cfg.dump(str(config))
    # too few random plans for the latency model: refused before the
    # candidates are scored (minutes on a real held-out set), not after
    with mock.patch('mmrecast.search.score_candidates',
                    side_effect=AssertionError('scored first')):
        assert _refusal([
            config, '--checkpoint', tmp_path / 'library', '--samples', 1,
            '--work-dir', tmp_path / 'few'
        ]).startswith('error: --samples 1: the latency model has 28 unknowns')
    result = run_tool([
        'recast_search.py', config, '--checkpoint', tmp_path / 'library',
        '--budget', 'latency=0.7x', 'params=0.5x', 'latency=0.7x,params=0.5x',
        '--work-dir', tmp_path / 'search'
    ], cwd=REPO, timeout=600)
    out = result.stdout
    assert result.returncode == 0, out[-3000:]
    assert 'latency check latency=0.7x: predicted' in out
    # the latency budget's plan was measured before it was kept; the
    # params budget, counted exactly, needs no calibration
    assert re.search(r'latency=0.7x: calibration 0: limit [\d.]+ ms, plan '
                     r'predicted [\d.]+ ms, measured [\d.]+ ms', out)
    # (not the joint budget's: 'latency=0.7x,params=0.5x: calibration')
    assert not re.search(r'\sparams=0.5x: calibration', out)
    assert '| all BlockToShortcut | 9 |' in out
    search = json.loads((tmp_path / 'search' / 'search.json').read_text())
    assert len(search['candidates']) == 27
    assert search['batch'] == 8 and search['report_batch'] == 2
    assert search['rerank'] == 4 and search['table']['timing_seconds'] == 2
    first_table = search['table']
    chosen = {p['name']: p for p in search['plans'] if p['kind'] == 'chosen'}
    assert set(chosen) == {'latency=0.7x', 'params=0.5x',
                           'latency=0.7x,params=0.5x'}
    # a joint budget: its latency calibrated, its size held
    assert 'latency=0.7x,params=0.5x: calibration 0: limit' in out
    assert (tmp_path / 'search' / 'plan_latency=0.7x,params=0.5x' /
            'finetune.py').is_file()
    # each budget's plan is the one of its best by summed score whose
    # whole student is closest to the teacher
    for name, p in chosen.items():
        kls = re.search(rf'{re.escape(name)}: joint KL of the (\d+) best '
                        r'plans by summed score: ([\d. ]+); number (\d+) '
                        'is kept', out)
        assert kls, name
        values = [float(v) for v in kls.group(2).split()]
        assert len(values) == int(kls.group(1)) == p['of'] > 1
        assert int(kls.group(3)) == p['rank'] == values.index(min(values)) + 1
        assert p['joint_kl'] == pytest.approx(min(values), abs=1e-4)
    assert (tmp_path / 'search' / 'pareto.png').stat().st_size > 10_000
    # the fine-tune of a searched plan builds its student from the plan and
    # starts from the library's candidates
    plan = tmp_path / 'search' / 'plan_latency=0.7x'
    finetune = Config.fromfile(str(plan / 'finetune.py'))
    finetune.model.teacher_checkpoint = str(resnet20_akamaster)
    model = MODELS.build(dict(finetune.model,
                              data_preprocessor=finetune.data_preprocessor))
    model.init_weights()
    library = MODELS.build(dict(cfg.model,
                                data_preprocessor=cfg.data_preprocessor))
    load_weights_into(library, str(tmp_path / 'library' / 'iter_4.pth'))
    for name in ('params=0.5x', 'latency=0.7x,params=0.5x'):
        assert chosen[name]['params'] <= 0.5 * count_params(library.teacher)
    choice = {s['block']: next(c.index for c in library.options(s['block'])
                               if c.recaster == s['recaster'])
              for s in finetune.model.plan.steps}
    assert choice == chosen['latency=0.7x']['choice']
    x = torch.randn(2, 3, 32, 32)
    expected = build_student(library, choice)(x, mode='tensor')
    assert torch.allclose(model.student.eval()(x, mode='tensor'), expected,
                          atol=1e-5)
    # its student exports as a plain classifier (steps name single blocks)
    export_dir = tmp_path / 'export'
    config_file, _ = export_student(finetune, str(plan / 'student.pth'),
                                    str(export_dir))
    header = open(config_file).read().split('\n\n', 1)[0]
    assert f"plan: {finetune.model.plan.steps[0]['block']} ->" in header
    # any plan of the table, a point of the sweep too, is written again
    # from search.json alone as the search wrote it
    sweep = [p['name'] for p in search['plans'] if p['kind'] == 'frontier']
    assert sweep
    assert len({p['name'] for p in search['plans']}) == len(search['plans'])
    # (in this process: it trains nothing, and its start-up is seconds)
    code, out, err = run_tool_in_process('misc/write_plans.py', [
        config, '--checkpoint', tmp_path / 'library', '--search',
        tmp_path / 'search', '--plans', 'latency=0.7x', sweep[0],
        '--work-dir', tmp_path / 'again'])
    assert code == 0, out[-3000:] + err[-3000:]
    again = tmp_path / 'again' / 'plan_latency=0.7x'
    for name in ('recast.py', 'finetune.py'):
        assert (again / name).read_text().replace('/again/', '/search/') == (
            plan / name).read_text()
    written, expected = (torch.load(p / 'student.pth')['state_dict']
                         for p in (again, plan))
    assert written.keys() == expected.keys()
    assert all(torch.equal(written[k], expected[k]) for k in expected)
    assert (tmp_path / 'again' / ('plan_' + sweep[0].replace(' ', '-')) /
            'student.pth').exists()
    # a plan of one's own from the same library (a default, then its
    # exceptions): alone in its folder, the student the library builds for
    # that choice, with the latency the search's model predicts for it
    code, out, err = run_tool_in_process('misc/write_plans.py', [
        config, '--checkpoint', tmp_path / 'library', '--search',
        tmp_path / 'search', '--work-dir', tmp_path / 'own', '--choose',
        'two removed', 'backbone.*=BasicBlockToConv',
        'backbone.layer1.[01]=BlockToShortcut'])
    assert code == 0, out[-3000:] + err[-3000:]
    mine = dict({b: 0 for b in library.blocks}, **{
        'backbone.layer1.0': 2, 'backbone.layer1.1': 2})
    table = load_latency_table(str(tmp_path / 'search'), library)
    ms = table.predict(mine)
    assert (f'two removed: 9 blocks swapped, predicted {ms:.3f} ms at batch '
            f'8 ({ms / table.teacher_ms:.3f}x the teacher): ') in out
    assert [p.name for p in (tmp_path / 'own').iterdir()] == [
        'plan_two-removed']
    written = torch.load(tmp_path / 'own' / 'plan_two-removed' /
                         'student.pth')['state_dict']
    expected = build_student(library, mine).state_dict()
    assert written.keys() == {f'student.{k}' for k in expected}
    assert all(torch.equal(written[f'student.{k}'], v)
               for k, v in expected.items())
    # a search never overwrites one that is there
    assert 'exists' in _refusal([config, '--checkpoint', tmp_path / 'library',
                                 '--work-dir', tmp_path / 'search'])
    # an unreachable absolute size budget: one line, with the teacher's
    # amount, before any scoring or timing (parameters need none)
    line = _refusal([config, '--checkpoint', tmp_path / 'library',
                     '--budget', 'latency=0.5x', 'params=0.5', '--work-dir',
                     tmp_path / 'absolute'])
    assert line.startswith('error: --budget params=0.5: no plan meets')
    assert line.endswith('a fraction of the teacher is written '
                         'params=0.5x'), line
    assert not (tmp_path / 'absolute').exists()
    # an unreachable latency is known after the latency fit, and refused
    # before the candidates are scored
    absolute = run_tool([
        'recast_search.py', config, '--checkpoint', tmp_path / 'library',
        '--budget', 'latency=0.001x', '--timing-seconds', 0.5, '--batch', 8,
        '--max-batches', 1, '--work-dir', tmp_path / 'absolute'
    ], cwd=REPO)
    assert absolute.returncode == 2
    line = absolute.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r'error: --budget latency=0.001x: no plan meets the '
                        r'budget: latency at most [\d.e-]+ ms \(0.001x the '
                        r'teacher\), the least the candidates reach is '
                        r'[\d.]+ ms \(0.\d+x the teacher\)', line), line
    assert 'latency model: timing the teacher' in absolute.stdout
    assert 'scoring 27 candidates' not in absolute.stdout
    # that search stopped after its latency fit, which it kept: run again
    # into its work dir, it is read back instead of timed again, and
    # dropped once search.json holds it; timed otherwise (the command line
    # or the config), it is refused
    kept = tmp_path / 'absolute' / 'latency_table.json'
    fitted = json.loads(kept.read_text())['table']
    assert _refusal([
        config, '--checkpoint', tmp_path / 'library', '--batch', 4,
        '--work-dir', tmp_path / 'absolute']) == (
        'error: --batch 4: the latency model of an interrupted search, '
        f'{kept} was timed with batch 8; delete {kept} to time again')
    assert _refusal([
        config, '--checkpoint', tmp_path / 'library', '--work-dir',
        tmp_path / 'absolute']) == (
        'error: search_cfg.timing_seconds=2: the latency model of an '
        f'interrupted search, {kept} was timed with timing_seconds 0.5; '
        f'delete {kept} to time again')
    assert _refusal([
        config, '--checkpoint', tmp_path / 'library', '--timing-seconds',
        0.5, '--samples', fitted['samples'] + 1, '--work-dir',
        tmp_path / 'absolute']).startswith(
        f'error: --samples {fitted["samples"] + 1}: the latency model')
    resumed = run_tool([
        'recast_search.py', config, '--checkpoint', tmp_path / 'library',
        '--budget', 'params=0.5x', '--timing-seconds', 0.5,
        '--max-batches', 1, '--work-dir', tmp_path / 'absolute'], cwd=REPO)
    assert resumed.returncode == 0, resumed.stdout[-3000:]
    assert f'latency model: read from {kept}, fitted by an interrupted' in \
        resumed.stdout
    assert 'timing the teacher and' not in resumed.stdout
    assert not kept.exists()
    again = json.loads((tmp_path / 'absolute' / 'search.json').read_text())
    assert again['table'] == fitted and again['latency_table'] is None
    # search_cfg.row_limits: the search removed blocks in a row; limited
    # to one in a row (slim blocks between two removed ones do not end a
    # row), no plan it writes or sweeps does. It reuses the first search's
    # latency model (--latency-table), so both predict alike

    def longest_row(choice):  # 2: BlockToShortcut, 1: BasicBlockSlim0.25
        longest = count = 0
        for block in library.blocks:
            count = count + 1 if choice.get(block) == 2 else (
                count if choice.get(block) == 1 else 0)
            longest = max(longest, count)
        return longest

    unlimited = [p['choice'] for p in search['plans']
                 if p['kind'] != 'uniform']
    assert max(longest_row(c) for c in unlimited) > 1
    rows = config.with_name('rows.py')
    limit = dict(candidates=['BlockToShortcut'],
                 through=['BasicBlockSlim0.25'], most=1)
    cfg.search_cfg.row_limits = [limit]
    # the config names its search's budget too
    cfg.search_cfg.budgets = ['macs=0.3x']
    cfg.dump(str(rows))
    limited = run_tool([
        'recast_search.py', rows, '--checkpoint', tmp_path / 'library',
        '--calibrate', 0, '--timing-seconds', 0.5,
        '--latency-table', tmp_path / 'search', '--max-batches', 1,
        '--work-dir', tmp_path / 'rows'
    ], cwd=REPO)
    assert limited.returncode == 0, limited.stdout[-3000:]
    assert 'latency model: read from' in limited.stdout
    assert 'timing the teacher and' not in limited.stdout
    first = {p['name']: p for p in search['plans']}
    search = json.loads((tmp_path / 'rows' / 'search.json').read_text())
    assert search['row_limits'] == [limit]
    # the table's batch (8, not torch's default 64) came with it
    assert search['table'] == first_table and search['batch'] == 8
    for p in search['plans']:
        if p['kind'] == 'uniform':
            assert p['predicted_ms'] == first[p['name']]['predicted_ms']
    assert max(longest_row(p['choice']) for p in search['plans']
               if p['kind'] != 'uniform') == 1
    assert [p['name'] for p in search['plans'] if p['kind'] == 'chosen'] == [
        'macs=0.3x']
    # a name that is no candidate's: one line, with the names there are
    cfg.search_cfg.row_limits = [dict(limit, candidates=['BasicBlockSlim'])]
    cfg.dump(str(rows))
    assert _refusal([rows, '--checkpoint', tmp_path / 'library',
                     '--work-dir', tmp_path / 'misspelt']) == (
        "error: search_cfg.row_limits[0]: ['BasicBlockSlim'] name no "
        "candidate; the candidates are ['BasicBlockSlim0.25', "
        "'BasicBlockToConv', 'BlockToShortcut']")
    # a table timed otherwise than asked: one line naming both
    cfg.search_cfg.row_limits = [limit]
    cfg.dump(str(rows))
    assert _refusal([
        rows, '--checkpoint', tmp_path / 'library', '--latency-table',
        tmp_path / 'search', '--batch', 64, '--work-dir',
        tmp_path / 'other']) == (
        f"error: --batch 64: --latency-table {tmp_path / 'search'} was "
        'timed with batch 8; drop one of them')
    cfg.search_cfg.batch = 64
    cfg.dump(str(rows))
    assert _refusal([
        rows, '--checkpoint', tmp_path / 'library', '--latency-table',
        tmp_path / 'search', '--work-dir', tmp_path / 'other']) == (
        f"error: search_cfg.batch=64: --latency-table {tmp_path / 'search'} "
        'was timed with batch 8; drop one of them')


def test_a_misspelt_checkpoint_is_refused_before_the_library_is_built(
        tmp_path):
    with mock.patch.object(MODELS, 'build',
                           side_effect=AssertionError('library built')):
        code, out, err = run_tool_in_process('recast_search.py', [
            LIBRARY, '--checkpoint', tmp_path / 'librar', '--work-dir',
            tmp_path / 'search'
        ])
    assert code == 2, out + err
    assert err.strip().splitlines()[-1] == (
        f'error: --checkpoint: {tmp_path}/librar: no such checkpoint file; '
        'check the path')


def test_samples_with_a_reused_latency_model_is_refused(tmp_path):
    # the model of --latency-table is fitted already: --samples would be
    # silently ignored
    assert _refusal([
        LIBRARY, '--checkpoint', tmp_path / 'library', '--latency-table',
        tmp_path / 'search', '--samples', 10
    ]).endswith('argument --samples: not allowed with argument '
                '--latency-table')


def test_a_misspelt_recaster_is_refused_with_the_likely_name(tmp_path):
    with mock.patch.object(MODELS, 'build',
                           side_effect=AssertionError('library built')):
        code, out, err = run_tool_in_process('recast_search.py', [
            LIBRARY, '--checkpoint', tmp_path / 'library', '--work-dir',
            tmp_path / 'search', '--cfg-options',
            "model.candidates.0.recasters.0.type=BasicBlockToCon"
        ])
    assert code == 2, out + err
    assert err.strip().splitlines()[-1].startswith(
        "error: model.candidates[0].recasters[0].type='BasicBlockToCon': "
        "not a registered recaster; did you mean 'BasicBlockToConv'?")
    assert not (tmp_path / 'search').exists()


def test_a_plan_not_in_the_search_is_named_with_the_likely_one(tmp_path):
    (tmp_path / 'search.json').write_text(json.dumps(dict(batch=8, plans=[
        dict(name=name, kind=kind, choice={}) for name, kind in (
            ('latency=0.5x', 'chosen'), ('all BasicBlockToConv', 'uniform'))
    ])))
    with mock.patch.object(MODELS, 'build',
                           side_effect=AssertionError('library built')):
        code, out, err = run_tool_in_process('misc/write_plans.py', [
            LIBRARY, '--checkpoint', tmp_path / 'library', '--search',
            tmp_path, '--plans', 'latency=0.5'])
    assert code == 2, out + err
    assert err.strip().splitlines()[-1] == (
        f"error: --plans latency=0.5: not a plan of {tmp_path}/search.json; "
        "did you mean 'latency=0.5x'? (it has latency=0.5x, "
        "all-BasicBlockToConv)")


@pytest.mark.parametrize('choose', [
    ['backbone.*=BasicBlockToConv'],
    ['backbone.*=BasicBlockToConv', 'backbone.layer1.0=BlockToShortcut'],
    ['latency=0.5x', 'backbone.*=BasicBlockToConv'],
])
def test_a_plan_of_ones_own_needs_a_name_of_its_own(tmp_path, choose):
    (tmp_path / 'search.json').write_text(json.dumps(dict(batch=8, plans=[
        dict(name='latency=0.5x', kind='chosen', choice={})])))
    with mock.patch.object(MODELS, 'build',
                           side_effect=AssertionError('library built')):
        code, out, err = run_tool_in_process('misc/write_plans.py', [
            LIBRARY, '--checkpoint', tmp_path / 'library', '--search',
            tmp_path, '--plans', 'latency=0.5x', '--choose', *choose])
    assert code == 2, out + err
    assert err.strip().splitlines()[-1] == (
        f'error: --choose {" ".join(choose)}: give a name of its own, then '
        'BLOCKS=CANDIDATE pairs')
    assert not any(tmp_path.glob('plan_*'))


def test_a_gpu_on_a_machine_without_one_is_refused_before_the_work(
        tmp_path):
    with mock.patch('torch.cuda.is_available', return_value=False):
        code, out, err = run_tool_in_process('recast_search.py', [
            LIBRARY, '--checkpoint', tmp_path / 'library', '--device',
            'cuda', '--work-dir', tmp_path / 'search'
        ])
    assert code == 2, out + err
    assert err.strip().splitlines()[-1].endswith(
        'error: --device cuda: this machine has no CUDA GPU; use --device '
        'cpu')


VIT_DROP = config_path('vit', 'vit-tiny-p7_layer-drop_1xb128_mnist_library.py')


@pytest.mark.slow
def test_a_layer_drop_library_is_searched_from_the_teacher(tmp_path):
    """A library of removals alone (a ViT's layers kept or dropped) has
    nothing to train: it was refused when built; now it is searched from
    the teacher's weights without --checkpoint, and training it is
    refused in one line."""
    mnist = find_data('mnist')
    cfg = Config.fromfile(VIT_DROP)
    teacher = MODELS.build(cfg.model.teacher)
    torch.save(dict(state_dict=teacher.state_dict()), tmp_path / 'vit.pth')
    options = ['--cfg-options', f'model.teacher_checkpoint={tmp_path}/vit.pth',
               f'search_dataloader.dataset.dataset.data_root={mnist}',
               'search_dataloader.num_workers=0',
               'search_dataloader.persistent_workers=False']
    result = run_tool([
        'recast_search.py', VIT_DROP, '--runtime', 'torch', '--batch', 8,
        '--report-batch', 2, '--timing-seconds', 1, '--max-batches', 1,
        '--budget', 'latency=0.6x', '--work-dir', tmp_path / 'search',
        *options], cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    assert '| all BlockToShortcut | 4 |' in result.stdout
    search = json.loads((tmp_path / 'search' / 'search.json').read_text())
    assert len(search['candidates']) == 4
    plan = tmp_path / 'search' / 'plan_latency=0.6x'
    chosen = next(p for p in search['plans'] if p['name'] == 'latency=0.6x')
    assert 0 < len(chosen['choice']) < 4
    # the plan's student is the teacher without the dropped layers, and
    # its fine-tune config builds it
    weights = torch.load(plan / 'student.pth')['state_dict']
    dropped = tuple(f'{block}.' for block in chosen['choice'])
    kept = {k: v for k, v in teacher.state_dict().items()
            if not k.startswith(dropped)}
    assert weights.keys() == {f'student.{k}' for k in kept}
    assert all(torch.equal(weights[f'student.{k}'], v)
               for k, v in kept.items())
    finetune = Config.fromfile(str(plan / 'finetune.py'))
    assert [s['recaster']['type'] for s in finetune.model.plan.steps] == [
        'BlockToShortcut'] * len(chosen['choice'])
    # a checkpoint given anyway (the teacher's) is refused, naming why
    assert _refusal([
        VIT_DROP, '--checkpoint', tmp_path / 'vit.pth', '--work-dir',
        tmp_path / 'other', *options]) == (
        f"error: --checkpoint {tmp_path / 'vit.pth'}: a library of removals "
        'alone has no weights of its own (it is never trained); leave '
        "--checkpoint out: the teacher's come from "
        'model.teacher_checkpoint')
    # a plan of one's own from the same library, without a checkpoint
    code, out, err = run_tool_in_process('misc/write_plans.py', [
        VIT_DROP, '--search', tmp_path / 'search', '--work-dir',
        tmp_path / 'own', '--choose', 'first',
        'backbone.layers.0=BlockToShortcut', *options])
    assert code == 0, out[-3000:] + err[-3000:]
    assert Config.fromfile(str(
        tmp_path / 'own' / 'plan_first' / 'finetune.py')).model.plan.steps == [
            dict(block='backbone.layers.0',
                 recaster=dict(type='BlockToShortcut'))]
    # training the library is refused, naming the search
    code, out, err = run_tool_in_process('train.py', [
        VIT_DROP, '--work-dir', tmp_path / 'train', *options[:1],
        f'train_dataloader.dataset.data_root={mnist}', options[1],
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False'])
    assert code == 2, out[-3000:] + err[-3000:]
    assert err.strip().splitlines()[-1] == (
        'error: model.candidates: no candidate has parameters to train '
        '(removals alone), so the library needs no training; search it '
        'from the teacher without --checkpoint: tools/recast_search.py '
        'CONFIG')
    assert not (tmp_path / 'train').exists()


def test_a_trained_library_without_its_checkpoint_is_refused(
        tmp_path, resnet20_akamaster):
    assert _refusal([
        LIBRARY, '--cfg-options',
        f'model.teacher_checkpoint={resnet20_akamaster}', '--work-dir',
        tmp_path / 'search']) == (
        'error: --checkpoint is missing: give the trained library (the file '
        'or work dir of tools/train.py CONFIG); only a library of removals '
        'alone is searched without one')
