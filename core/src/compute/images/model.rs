//! The small CNN: `blocks` × (3×3 conv → batch norm → ReLU → 2×2 max pool), widths doubling
//! from `width`, then dropout and a linear head. Built on candle's layers; the weights are
//! plain candle `Var`s made here from a seeded generator (candle's CPU generator cannot be
//! seeded), so one seed gives one model.

use candle_core::{DType, Device, Module, ModuleT, Result, Tensor, Var};
use candle_nn::{BatchNorm, Conv2d, Conv2dConfig, Linear};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Every tensor of a model by name, with its shape and values (a checkpoint in memory).
pub(crate) type Weights = Vec<(String, Vec<usize>, Vec<f32>)>;

/// The architecture a user picks.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Arch {
    /// Conv blocks, each halving the image.
    pub blocks: usize,
    /// Channels of the first block; each further block doubles them.
    pub width: usize,
    /// Dropout before the head, 0..1.
    pub dropout: f32,
}

impl Default for Arch {
    fn default() -> Self {
        Self {
            blocks: 2,
            width: 16,
            dropout: 0.25,
        }
    }
}

/// What the network takes and gives.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shape {
    pub size: usize,
    pub channels: usize,
    pub classes: usize,
}

impl Arch {
    /// Side of the feature map after the blocks (each 2×2 pool halves it, rounding down).
    pub(crate) fn final_side(&self, size: usize) -> usize {
        (0..self.blocks).fold(size, |s, _| s / 2)
    }

    /// (name, shape) of every tensor the model holds, in a fixed order.
    pub(crate) fn tensors(&self, shape: Shape) -> Vec<(String, Vec<usize>)> {
        let mut out = Vec::new();
        let mut cin = shape.channels;
        for b in 0..self.blocks {
            let cout = self.width << b;
            out.push((format!("conv{b}.weight"), vec![cout, cin, 3, 3]));
            out.push((format!("conv{b}.bias"), vec![cout]));
            for part in ["weight", "bias", "running_mean", "running_var"] {
                out.push((format!("bn{b}.{part}"), vec![cout]));
            }
            cin = cout;
        }
        let side = self.final_side(shape.size);
        out.push((
            "head.weight".to_owned(),
            vec![shape.classes, cin * side * side],
        ));
        out.push(("head.bias".to_owned(), vec![shape.classes]));
        out
    }
}

/// The network with its weights.
pub struct Cnn {
    pub arch: Arch,
    pub shape: Shape,
    /// Every tensor by name, in `Arch::tensors` order.
    pub vars: Vec<(String, Var)>,
    convs: Vec<(Conv2d, BatchNorm)>,
    head: Linear,
}

impl Cnn {
    /// A fresh network: Kaiming-normal conv and head weights, uniform biases (as PyTorch),
    /// batch norm at identity, all drawn from `seed`.
    pub fn new(arch: Arch, shape: Shape, seed: u64) -> Result<Self> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let values = arch
            .tensors(shape)
            .into_iter()
            .map(|(name, dims)| {
                let n: usize = dims.iter().product();
                let fan_in: usize = dims.iter().skip(1).product::<usize>().max(1);
                let v: Vec<f32> = if name.ends_with("running_var")
                    || name.starts_with("bn") && name.ends_with("weight")
                {
                    vec![1.0; n]
                } else if name.starts_with("bn") {
                    vec![0.0; n]
                } else if name.ends_with("weight") {
                    let std = (2.0 / fan_in as f64).sqrt();
                    (0..n)
                        .map(|_| (standard_normal(&mut rng) * std) as f32)
                        .collect()
                } else {
                    // A bias: uniform within ±1/sqrt(fan_in) of the layer it belongs to.
                    let bound = 1.0 / (fan_in_of_bias(&arch, shape, &name) as f32).sqrt();
                    (0..n).map(|_| rng.random_range(-bound..=bound)).collect()
                };
                Ok((name, dims, v))
            })
            .collect::<Result<Vec<_>>>()?;
        Self::from_values(arch, shape, values)
    }

    /// A network from saved values, checked against the architecture's shapes.
    pub(crate) fn from_values(arch: Arch, shape: Shape, values: Weights) -> Result<Self> {
        let expected = arch.tensors(shape);
        if values.len() != expected.len() {
            candle_core::bail!("{} tensors, expected {}", values.len(), expected.len());
        }
        let dev = Device::Cpu;
        let mut vars = Vec::with_capacity(values.len());
        for ((name, dims, v), (want_name, want_dims)) in values.into_iter().zip(expected) {
            if name != want_name || dims != want_dims {
                candle_core::bail!("tensor {name} {dims:?}, expected {want_name} {want_dims:?}");
            }
            vars.push((name, Var::from_tensor(&Tensor::from_vec(v, dims, &dev)?)?));
        }
        let (convs, head) = layers(&arch, &vars)?;
        Ok(Self {
            arch,
            shape,
            vars,
            convs,
            head,
        })
    }

    /// A second view of the same weights whose batch norms keep running statistics of their
    /// own, thrown away: training runs half of each batch through it on the other core. The
    /// model's running statistics then come from the first half alone, whatever the number
    /// of threads, so one seed still gives one model.
    pub(crate) fn replica(&self) -> Result<Self> {
        let vars = self
            .vars
            .iter()
            .map(|(n, v)| {
                if n.ends_with("running_mean") || n.ends_with("running_var") {
                    Ok((n.clone(), Var::from_tensor(&v.as_tensor().copy()?)?))
                } else {
                    Ok((n.clone(), v.clone()))
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let (convs, head) = layers(&self.arch, &vars)?;
        Ok(Self {
            arch: self.arch,
            shape: self.shape,
            vars,
            convs,
            head,
        })
    }

    /// The tensors the optimiser moves (not the batch-norm running statistics).
    pub(crate) fn trainable(&self) -> Vec<Var> {
        self.vars
            .iter()
            .filter(|(n, _)| !n.ends_with("running_mean") && !n.ends_with("running_var"))
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Logits for a batch (N × C × H × W). In training, batch norm uses the batch's statistics
    /// and updates its running ones, and `dropout` (a 0/1 mask scaled, or None) applies.
    pub(crate) fn forward(
        &self,
        x: &Tensor,
        train: bool,
        dropout: Option<&Tensor>,
    ) -> Result<Tensor> {
        let mut x = x.clone();
        for (conv, bn) in &self.convs {
            x = bn.forward_t(&conv.forward(&x)?, train)?.relu()?;
            if x.dim(2)? >= 2 {
                x = x.max_pool2d(2)?;
            }
        }
        let mut x = x.flatten_from(1)?;
        if let Some(mask) = dropout {
            x = x.broadcast_mul(mask)?;
        }
        self.head.forward(&x)
    }

    /// A dropout mask for a batch of `n` rows: each feature kept with 1 - p, scaled by 1/(1-p).
    pub(crate) fn dropout_mask(&self, n: usize, rng: &mut ChaCha8Rng) -> Result<Option<Tensor>> {
        let p = self.arch.dropout;
        if p <= 0.0 {
            return Ok(None);
        }
        let features = self.head_inputs();
        let keep = 1.0 / (1.0 - p);
        let mask: Vec<f32> = (0..n * features)
            .map(|_| if rng.random::<f32>() < p { 0.0 } else { keep })
            .collect();
        Tensor::from_vec(mask, (n, features), &Device::Cpu).map(Some)
    }

    fn head_inputs(&self) -> usize {
        let side = self.arch.final_side(self.shape.size);
        (self.arch.width << (self.arch.blocks - 1)) * side * side
    }

    /// Every tensor's current values, for a checkpoint.
    pub fn values(&self) -> Result<Weights> {
        self.vars
            .iter()
            .map(|(name, var)| {
                let t = var.as_tensor();
                Ok((
                    name.clone(),
                    t.dims().to_vec(),
                    t.flatten_all()?.to_dtype(DType::F32)?.to_vec1::<f32>()?,
                ))
            })
            .collect()
    }

    /// Put back values taken with `values` (the best epoch's weights).
    pub fn restore(&self, values: &Weights) -> Result<()> {
        for ((_, var), (_, dims, v)) in self.vars.iter().zip(values) {
            var.set(&Tensor::from_vec(v.clone(), dims.clone(), &Device::Cpu)?)?;
        }
        Ok(())
    }
}

/// The layers over `vars` (in `Arch::tensors` order).
fn layers(arch: &Arch, vars: &[(String, Var)]) -> Result<(Vec<(Conv2d, BatchNorm)>, Linear)> {
    let t = |i: usize| vars[i].1.as_tensor().clone();
    let mut convs = Vec::with_capacity(arch.blocks);
    for b in 0..arch.blocks {
        let k = b * 6;
        let conv = Conv2d::new(
            t(k),
            Some(t(k + 1)),
            Conv2dConfig {
                padding: 1,
                ..Default::default()
            },
        );
        let bn = BatchNorm::new_with_momentum(
            arch.width << b,
            t(k + 4),
            t(k + 5),
            t(k + 2),
            t(k + 3),
            1e-5,
            0.1,
        )?;
        convs.push((conv, bn));
    }
    let k = arch.blocks * 6;
    Ok((convs, Linear::new(t(k), Some(t(k + 1)))))
}

/// A standard normal draw (Box-Muller).
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn fan_in_of_bias(arch: &Arch, shape: Shape, name: &str) -> usize {
    let tensors = arch.tensors(shape);
    let weight = name.replace(".bias", ".weight");
    tensors
        .iter()
        .find(|(n, _)| *n == weight)
        .map_or(1, |(_, d)| d.iter().skip(1).product::<usize>().max(1))
}
