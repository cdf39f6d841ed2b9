# Fine-tune of the ViT with token MLPs: as the layer-dropped one's.
_base_ = ['./vit-tiny-p7_drop-1-3_1xb128_mnist_finetune.py']
model = dict(
    plan=dict(steps=[
        dict(blocks=['backbone.layers.1', 'backbone.layers.3'],
             recaster=dict(type='BlockToTokenMLP'))
    ]),
    init_from=[dict(module='student',
                    checkpoint='work_dirs/vit-tiny-p7_mlp-1-3_1xb128_'
                    'mnist_recast',
                    prefix='student.')])
