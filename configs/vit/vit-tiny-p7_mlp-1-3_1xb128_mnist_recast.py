# Attention dropped: the ViT teacher's encoder layers 1 and 3 become
# residual token MLPs of their width (BlockToTokenMLP), trained teacher-fed
# for 500 iterations, Adam 1e-3.
_base_ = ['./vit-tiny-p7_drop-1-3_1xb128_mnist_recast.py']
model = dict(plan=dict(steps=[
    dict(blocks=['backbone.layers.1', 'backbone.layers.3'],
         recaster=dict(type='BlockToTokenMLP'))
]))
param_scheduler = dict(step_size=350)
train_cfg = dict(iters_per_stage=500)
default_hooks = dict(
    logger=dict(interval=50), checkpoint=dict(interval=250))
