# Copyright (c) mmrecast contributors. All rights reserved.
import os.path as osp

from mmrecast.apis import register_all_modules
from mmrecast.registry import MODELS
from mmrecast.search import search_config_path, uniform_name, uniform_plans
from tests.helpers import REPO, RESNET20


def test_uniform_plans_of_one_recaster_type_get_their_own_names():
    names = [
        uniform_name(r) for r in (dict(type='BasicBlockToConv'),
                                  dict(type='BasicBlockToConv', groups=2),
                                  dict(type='BasicBlockSlim', ratio=0.25))
    ]
    assert names == [
        'BasicBlockToConv', 'BasicBlockToConv-groups2', 'BasicBlockSlim0.25'
    ]


def test_uniform_plans_match_candidates_by_recaster_not_position():
    register_all_modules()
    conv, slim, none = (dict(type='BasicBlockToConv'),
                        dict(type='BasicBlockSlim', ratio=0.25),
                        dict(type='BlockToShortcut'))
    library = MODELS.build(
        dict(type='CandidateLibrary', teacher=RESNET20,
             input_size=(3, 32, 32),
             candidates=[
                 dict(blocks='backbone.layer1.*', recasters=[conv, slim,
                                                             none]),
                 dict(blocks='backbone.layer*.*', recasters=[none, conv]),
             ]))
    plans = dict(uniform_plans(library))
    # slim is not a candidate of every block; conv and no block are, at
    # other places in the second group's list
    assert list(plans) == ['all BasicBlockToConv', 'all BlockToShortcut']
    layer1 = ['backbone.layer1.0', 'backbone.layer1.1', 'backbone.layer1.2']
    for name, (here, there) in {'all BasicBlockToConv': (0, 1),
                                'all BlockToShortcut': (2, 0)}.items():
        assert list(plans[name]) == library.blocks
        for block, index in plans[name].items():
            assert index == (here if block in layer1 else there)
            assert uniform_name(library.options(block)[index].recaster) \
                == name[4:]


def test_search_configs_are_found_beside_the_library_config():
    search_cfg = dict(recast_config='../recasting/recast.py',
                      finetune_config='/abs/finetune.py')
    library = 'configs/recast_search/library.py'
    assert search_config_path(library, search_cfg, 'recast_config') == \
        'configs/recasting/recast.py'
    # from another folder, and an absolute path as it is
    assert search_config_path('/work/x/library.py', search_cfg,
                              'recast_config') == '/work/recasting/recast.py'
    assert search_config_path(library, search_cfg,
                              'finetune_config') == '/abs/finetune.py'


def test_a_span_candidate_is_named_apart_and_written_as_its_recaster(
        tmp_path):
    import torch

    from mmrecast.search import candidate_names, write_plan
    from tests.helpers import candidate_library
    conv, none = dict(type='BasicBlockToConv'), dict(type='BlockToShortcut')
    library = candidate_library('backbone.layer3.*', [conv, none],
                                spans=[conv])
    names = candidate_names(library)
    assert names['backbone.layer3.1'] == [
        'BasicBlockToConv', 'BlockToShortcut', 'BasicBlockToConv-span']
    assert names['backbone.layer3.2'] == ['BasicBlockToConv',
                                          'BlockToShortcut']
    assert dict(uniform_plans(library)) == {
        'all BasicBlockToConv': {b: 0 for b in library.blocks},
        'all BlockToShortcut': {b: 1 for b in library.blocks}}
    choice = {'backbone.layer3.1': 2, 'backbone.layer3.2': 1}
    write_plan(library, choice, str(tmp_path), 'recast.py', 'finetune.py',
               'a span')
    saved = torch.load(tmp_path / 'student.pth')
    assert saved['meta']['plan'] == [
        dict(block='backbone.layer3.1', recaster=conv,
             covers='backbone.layer3.2'),
        dict(block='backbone.layer3.2', recaster=none)]
    span = library.target('backbone.layer3.1', 2)
    assert torch.equal(
        saved['state_dict']['student.backbone.layer3.1.0.weight'],
        span[0].weight)
    assert not torch.equal(span[0].weight,
                           library.target('backbone.layer3.1', 0)[0].weight)


def test_a_moved_plan_folder_still_starts_from_its_own_weights(tmp_path):
    import shutil

    from mmengine.config import Config

    from mmrecast.search import write_plan
    from tests.helpers import candidate_library
    library = candidate_library('backbone.layer3.*',
                                [dict(type='BasicBlockToConv')])
    recasting = osp.join(REPO, 'configs', 'recasting',
                         'recast_backbone_resnet20-akamaster_convnet20_'
                         '1xb64_cifar10-folder_{}-parallel.py')
    written = tmp_path / 'search' / 'plan_a'
    write_plan(library, {'backbone.layer3.0': 0}, str(written),
               recasting.format('recast'), recasting.format('finetune'),
               'a plan')
    moved = tmp_path / 'kept' / 'plan_a'  # the same depth: _base_ holds
    shutil.move(str(written), str(moved))
    cfg = Config.fromfile(str(moved / 'finetune.py'))
    assert cfg.model.init_from[0].checkpoint == str(moved / 'student.pth')
    assert (moved / 'student.pth').is_file()
