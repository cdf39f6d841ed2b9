# Runtime shared by every mmrecast config.
default_scope = 'mmrecast'

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='RecastCheckpointHook', interval=1, max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # stops a run whose loss is non-finite or 100x its early value
    divergence_guard=dict(type='DivergenceGuardHook', factor=100, warmup=10),
    # load_from and resume checkpoints must fit the model (--non-strict)
    strict_load=dict(type='StrictLoadHook'),
)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    # On a machine without GPU, tools/train.py switches this to gloo. A rank
    # that waits longer than `timeout` seconds for the others (one of them
    # hung or died) ends the job instead of waiting forever.
    dist_cfg=dict(backend='nccl', timeout=1800),
)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)

log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=None, deterministic=False)

# Checkpoints load weights-only; True also unpickles arbitrary objects (only
# for third-party files you trust). CLI: --unsafe-load.
unsafe_load = False
