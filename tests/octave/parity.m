1;  % a script file that defines functions must not start with a function definition
% The Octave formulation of article 000 / ex4, run by tests/test_octave_parity.py.
% Usage: octave-cli --norc --quiet parity.m DIR [DIR ...]
% Each DIR holds config.txt = [input hidden labels lambda], X.txt, y.txt, nn_params.txt;
% this script writes J.txt, grad.txt, yv.txt, sg.txt and debug.txt there with 17 significant digits.

function g = sigmoid(z)
  g = 1.0 ./ (1.0 + exp(-z));
end

function g = sigmoidGradient(z)
  g = sigmoid(z) .* (1 - sigmoid(z));
end

function W = debugInitializeWeights(fan_out, fan_in)
  W = zeros(fan_out, 1 + fan_in);
  W = reshape(sin(1:numel(W)), size(W)) / 10;
end

function [J, grad] = nnCostFunction(nn_params, input_layer_size, hidden_layer_size, num_labels, X, y, lambda)
  n1 = hidden_layer_size * (input_layer_size + 1);
  Theta1 = reshape(nn_params(1:n1), hidden_layer_size, input_layer_size + 1);
  Theta2 = reshape(nn_params(n1 + 1:end), num_labels, hidden_layer_size + 1);
  m = size(X, 1);
  yv = [1:num_labels] == y;
  a1 = [ones(m, 1) X];
  z2 = a1 * Theta1';
  a2 = [ones(m, 1) sigmoid(z2)];
  z3 = a2 * Theta2';
  a3 = sigmoid(z3);
  J = sum(sum(-yv .* log(a3) - (1 - yv) .* log(1 - a3))) / m ...
      + lambda / (2 * m) * (sum(sum(Theta1(:, 2:end) .^ 2)) + sum(sum(Theta2(:, 2:end) .^ 2)));
  s3 = a3 - yv;
  s2 = (s3 * Theta2) .* sigmoidGradient([ones(size(z2, 1), 1) z2]);
  s2 = s2(:, 2:end);
  Theta1_grad = s2' * a1 / m + (lambda / m) * [zeros(size(Theta1, 1), 1) Theta1(:, 2:end)];
  Theta2_grad = s3' * a2 / m + (lambda / m) * [zeros(size(Theta2, 1), 1) Theta2(:, 2:end)];
  grad = [Theta1_grad(:); Theta2_grad(:)];
end

function write_vector(path, M)
  fid = fopen(path, 'w');
  fprintf(fid, '%.17g\n', M(:));  % column-major, as Octave stores it
  fclose(fid);
end

args = argv();
for k = 1:numel(args)
  d = args{k};
  cfg = load([d '/config.txt']);
  X = load([d '/X.txt']);
  y = load([d '/y.txt']);
  nn_params = load([d '/nn_params.txt']);
  [J, grad] = nnCostFunction(nn_params, cfg(1), cfg(2), cfg(3), X, y, cfg(4));
  write_vector([d '/J.txt'], J);
  write_vector([d '/grad.txt'], grad);
  write_vector([d '/yv.txt'], double([1:cfg(3)] == y));
  write_vector([d '/sg.txt'], sigmoidGradient([-1 -0.5 0 0.5 1]));
  write_vector([d '/debug.txt'], debugInitializeWeights(5, 3));
end
