# Main-job demo, control run for stage 4: the same recast ConvNet-14, data,
# schedule and 400 iterations as demo_ft-train_resnet14_convnet14_1xb128_
# mnist.py, with the Network Recasting paper's fine-tune loss instead of
# Factor Transfer: cross-entropy + MSE between student and teacher logits.
_base_ = ['./demo_ce-train_convnet14_1xb128_mnist.py']

model = dict(
    distill_losses=dict(
        loss_logits=dict(type='MSELoss', student='logits',
                         teacher='logits')))
