# A 4-layer ViT for MNIST (1 x 28 x 28): 7 x 7 patches, 16 tokens and a
# class token of width 64, 4 heads, MLP 128 (mmpretrain's VisionTransformer).
model = dict(
    type='ImageClassifier',
    _scope_='mmpretrain',
    backbone=dict(
        type='VisionTransformer',
        arch=dict(
            embed_dims=64, num_layers=4, num_heads=4,
            feedforward_channels=128),
        img_size=28,
        patch_size=7,
        in_channels=1,
        drop_rate=0.0),
    neck=None,
    head=dict(
        type='VisionTransformerClsHead',
        num_classes=10,
        in_channels=64,
        loss=dict(type='CrossEntropyLoss')))
