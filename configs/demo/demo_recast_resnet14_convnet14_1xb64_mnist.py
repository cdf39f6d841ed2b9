# Main-job demo, stage 2: block-recast. The ResNet-14 teacher becomes a
# plain ConvNet-14 block by block, with the paper's sequential protocol:
# stage i installs Conv-BN-ReLU for BasicBlock i and a fresh block i+1 and
# trains the prefix to match the teacher's output of block i+1 (the logits
# on the last stage); Adam 1e-3, 100 iterations per block, batch 64.
_base_ = [
    '../_base_/datasets/mnist_bs128.py',
    '../_base_/schedules/recast_adam.py',
    '../_base_/default_runtime.py',
    '../_base_/models/resnet14_mnist.py',
]

teacher = {{_base_.model}}
model = dict(
    _delete_=True,
    type='BlockRecast',
    teacher=teacher,
    # a work dir means its latest checkpoint
    teacher_checkpoint='work_dirs/demo_resnet14_1xb128_mnist',
    plan=dict(steps=[
        dict(
            blocks='backbone.layer*.*',
            recaster=dict(type='BasicBlockToConv'))
    ]),
    mode='sequential')

train_dataloader = dict(batch_size=64)
param_scheduler = dict(step_size=70)
train_cfg = dict(_delete_=True, type='RecastLoop', iters_per_stage=100)
custom_hooks = [dict(type='RecastProgressHook')]
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(by_epoch=False, interval=100, max_keep_ckpts=1))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
