# The recasting reference on ImageNet: per block a fresh Adam (lr 5e-4) and
# StepLR x0.1 at epoch 7 of 10 epochs per block.
_base_ = ['./recast-ref_adam_60e.py']

optim_wrapper = dict(optimizer=dict(lr=5e-4))
param_scheduler = dict(step_size=7)
train_cfg = dict(epochs_per_stage=10)
